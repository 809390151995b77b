<?php
// Wrong credentials: the WSDL still loads (it is public), and the call fails
// the way PHP reports an HTTP 401: faultcode HTTP, message Unauthorized.
require __DIR__ . '/lib.php';

$client = callfire_client(env_or_die('CALLFIRE_LOGIN'), 'not-the-password');
try {
    $client->GetContact(array('Id' => 1));
    check(false, 'a wrong password was accepted');
} catch (SoapFault $fault) {
    same('HTTP', $fault->faultcode, 'faultcode for a 401');
    same('Unauthorized', $fault->getMessage(), 'message for a 401');
}
done('auth.php');
