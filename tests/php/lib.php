<?php
// Shared helpers for the PHP interop scripts: a SoapClient built exactly as
// legacy CallFire integrations build one, checks that exit non-zero with a
// clear message, and (when asked) a recording of every request PHP sends.
//
// Environment, set by tests/test_php.py:
//   CALLFIRE_WSDL      the WSDL to load: the served URL or the reference file
//   CALLFIRE_LOCATION  endpoint to post to ('' = the WSDL's own address)
//   CALLFIRE_LOGIN, CALLFIRE_PASSWORD
//   CALLFIRE_SOAP_VERSION  '1.2' passes soap_version => SOAP_1_2; '' leaves it out, as
//                      many public integrations do, and PHP then speaks SOAP 1.1
//   CALLFIRE_CAPTURE   directory to record request XML into, each with the answer
//                      PHP got (NAME.xml and NAME.answer; '' = don't)

ini_set('soap.wsdl_cache_enabled', '0');
error_reporting(E_ALL);

function env_or_die($name) {
    $value = getenv($name);
    if ($value === false) {
        fwrite(STDERR, "missing environment variable $name\n");
        exit(2);
    }
    return $value;
}

function soap12() {
    return env_or_die('CALLFIRE_SOAP_VERSION') === '1.2';
}

function callfire_client($login = null, $password = null) {
    $options = array(
        'login'        => $login === null ? env_or_die('CALLFIRE_LOGIN') : $login,
        'password'     => $password === null ? env_or_die('CALLFIRE_PASSWORD') : $password,
        'exceptions'   => true,
        'trace'        => true,
        'cache_wsdl'   => WSDL_CACHE_NONE,
    );
    if (soap12()) {
        $options['soap_version'] = SOAP_1_2;
    }
    $location = getenv('CALLFIRE_LOCATION');
    if ($location) {
        $options['location'] = $location;
    }
    return new SoapClient(env_or_die('CALLFIRE_WSDL'), $options);
}

$GLOBALS['checks'] = 0;
$GLOBALS['captured'] = 0;

function check($condition, $what) {
    $GLOBALS['checks']++;
    if (!$condition) {
        fwrite(STDERR, "MISMATCH: $what\n");
        exit(1);
    }
}

function same($expected, $actual, $what) {
    check($expected == $actual,
          "$what: expected " . var_export($expected, true) . ", got " . var_export($actual, true));
}

// Call $method with $args; record PHP's request XML as an 'ok' call named $label.
function call($client, $method, $args, $label) {
    try {
        return $client->$method($args);
    } finally {
        record($client, $method, "ok-$label");
        check_version($client, $method);
    }
}

// The request went in the SOAP version the client was built for, and so came the answer.
function check_version($client, $method) {
    $envelope = soap12() ? 'http://www.w3.org/2003/05/soap-envelope'
                         : 'http://schemas.xmlsoap.org/soap/envelope/';
    $type = soap12() ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8';
    check(strpos((string) $client->__getLastRequest(), $envelope) !== false,
          "$method request is in the SOAP envelope namespace $envelope");
    check(stripos((string) $client->__getLastResponseHeaders(), "Content-Type: $type") !== false,
          "$method answer is $type");
}

// Call $method expecting a SoapFault with CallFire FaultCode $code; returns the fault.
// The recording is named after the FaultCode, so a replay knows what to expect.
function expect_fault($client, $method, $args, $code, $label) {
    try {
        $client->$method($args);
    } catch (SoapFault $fault) {
        record($client, $method, "$code-$label");
        check_version($client, $method);
        check(isset($fault->detail->ServiceFaultInfo->FaultCode),
              "$method fault has a ServiceFaultInfo detail: " . $fault->getMessage());
        same($code, $fault->detail->ServiceFaultInfo->FaultCode, "$method FaultCode");
        same(soap12() ? 'env:Sender' : 'soap:Client', $fault->faultcode, "$method faultcode");
        return $fault;
    }
    record($client, $method, "$code-$label");
    check(false, "$method answered without the expected $code fault");
}

function record($client, $method, $label) {
    $dir = getenv('CALLFIRE_CAPTURE');
    if (!$dir || $client->__getLastRequest() === null) {
        return;
    }
    $GLOBALS['captured']++;
    $name = sprintf('%s/%s-%03d-%s-%s.xml', $dir, getenv('CALLFIRE_SCRIPT'),
                    $GLOBALS['captured'], $method, $label);
    file_put_contents($name, $client->__getLastRequest());
    file_put_contents(substr($name, 0, -4) . '.answer', $client->__getLastResponse());
}

// One item arrives as an object, several as an array, none as a missing property.
function as_list($value) {
    if ($value === null) {
        return array();
    }
    return is_array($value) ? $value : array($value);
}

// Move the simulation clock on, as the CLI does; recorded as a step of its own
// (sim-advance-N.txt holds the command) so that a replay moves it the same way.
function advance($seconds) {
    $command = sprintf('%s -m callfire_soap sim advance %d --db %s 2>&1',
                       escapeshellarg(env_or_die('CALLFIRE_PYTHON')), $seconds,
                       escapeshellarg(env_or_die('CALLFIRE_DB')));
    exec($command, $output, $status);
    check($status === 0, "sim advance $seconds failed: " . implode("\n", $output));
    $dir = getenv('CALLFIRE_CAPTURE');
    if ($dir) {
        $GLOBALS['captured']++;
        file_put_contents(sprintf('%s/%s-%03d-sim-advance-%d.txt', $dir, getenv('CALLFIRE_SCRIPT'),
                                  $GLOBALS['captured'], $seconds), "sim advance $seconds\n");
    }
}

// An inbound text arrives, as `sim inbound-text` makes it, for this script's account;
// recorded as a step of its own (without the login, which the replay gives).
function inbound_text($to, $from, $message) {
    $step = sprintf('sim inbound-text --to %s --from %s --message %s', escapeshellarg($to),
                    escapeshellarg($from), escapeshellarg($message));
    $command = sprintf('%s -m callfire_soap %s --login %s --db %s 2>&1',
                       escapeshellarg(env_or_die('CALLFIRE_PYTHON')), $step,
                       escapeshellarg(env_or_die('CALLFIRE_LOGIN')),
                       escapeshellarg(env_or_die('CALLFIRE_DB')));
    exec($command, $output, $status);
    check($status === 0, "sim inbound-text failed: " . implode("\n", $output));
    $dir = getenv('CALLFIRE_CAPTURE');
    if ($dir) {
        $GLOBALS['captured']++;
        file_put_contents(sprintf('%s/%s-%03d-sim-inbound-text.txt', $dir,
                                  getenv('CALLFIRE_SCRIPT'), $GLOBALS['captured']), "$step\n");
    }
}

function done($script) {
    echo "$script: {$GLOBALS['checks']} checks passed\n";
    exit(0);
}
