// The client zoo's scenario through node-soap (npm `soap`), used as Node
// integrations use it: a client per service from the WSDL, BasicAuthSecurity,
// attributes under `attributes`, faults read from the error's parsed `root`.
// Prints one "check<TAB>value" line per step (tests/test_clients.py reads
// them); a step that throws prints "!" and the error instead.
//
// Environment: CALLFIRE_WSDL (URL or file), CALLFIRE_LOGIN, CALLFIRE_PASSWORD,
// CALLFIRE_ENDPOINT ("" keeps the WSDL's addresses, else ".../soap12" to
// append the service to).
'use strict';
const soap = require('soap');

const env = process.env;

async function step(check, run) {
  let value;
  try {
    value = String(await run());
  } catch (error) {
    value = '!' + (error && error.message ? error.message : String(error));
  }
  console.log(check + '\t' + value.replace(/[\r\n]+/g, ' '));
}

async function port(name, service) {
  // CALLFIRE_SOAP12=1: forceSoap12Headers, how node-soap users reached SOAP 1.2 services
  const client = await soap.createClientAsync(env.CALLFIRE_WSDL,
      {forceSoap12Headers: env.CALLFIRE_SOAP12 === '1'});
  client.setSecurity(new soap.BasicAuthSecurity(env.CALLFIRE_LOGIN, env.CALLFIRE_PASSWORD));
  if (env.CALLFIRE_ENDPOINT) {
    client.setEndpoint(env.CALLFIRE_ENDPOINT + '/' + service);
  }
  return client.CallFireApi[name];
}

function call(port, operation, args) {
  return new Promise((resolve, reject) => port[operation](args, (error, result) =>
    error ? reject(error) : resolve(result)));
}

async function main() {
  const contacts = await port('ContactServicePort', 'contact');
  const broadcasts = await port('BroadcastServicePort', 'broadcast');
  let listId, first, second, broadcastId;

  await step('list_from_numbers', async () => {
    listId = await call(contacts, 'CreateContactList', {
      Name: 'zoo numbers', ContactSource: {Numbers: '13105551212 12135551000'}});
    return listId;
  });
  await step('query_contacts', async () => {
    const found = await call(contacts, 'QueryContacts', {ContactListId: listId});
    [first, second] = found.Contact.map((c) => c.attributes.id);
    return [found.TotalResults, ...found.Contact.map((c) => c.attributes.homePhone)].join(' ');
  });
  await step('get_contact', async () =>
    (await call(contacts, 'GetContact', {Id: first})).attributes.homePhone);
  await step('update_contacts', async () => {
    await call(contacts, 'UpdateContacts', {
      Contact: [{attributes: {id: first, firstName: 'Ann', crmId: 'A-17'}}]});
    const updated = (await call(contacts, 'GetContact', {Id: first})).attributes;
    return updated.firstName + ' ' + updated.crmId;
  });
  await step('not_found_fault', async () => {
    try {
      await call(contacts, 'GetContact', {Id: Number(first) + 1000000});
      return 'no fault';
    } catch (error) {
      if (!error.root) throw error;
      const fault = error.root.Envelope.Body.Fault;  // SOAP 1.1 'detail', 1.2 'Detail'
      return (fault.detail || fault.Detail).ServiceFaultInfo.FaultCode;
    }
  });
  await step('list_from_ids', async () => {
    const ids = await call(contacts, 'CreateContactList', {
      Name: 'zoo ids', ContactSource: {ContactId: first + ' ' + second}});
    return (await call(contacts, 'GetContactList', {Id: ids})).Size;
  });
  await step('create_broadcast', async () => {
    broadcastId = await call(broadcasts, 'CreateBroadcast', {Broadcast: {
      Name: 'zoo voice',
      VoiceBroadcastConfig: {
        FromNumber: '13105550000', AnsweringMachineConfig: 'AM_AND_LIVE',
        LiveSoundText: 'Hello from the zoo', MachineSoundText: 'Sorry we missed you'}}});
    return broadcastId;
  });
  await step('create_contact_batch', async () => call(broadcasts, 'CreateContactBatch', {
    BroadcastId: broadcastId, Name: 'zoo batch',
    ToNumber: ['13105550101', {$value: '13105550102', attributes: {ClientData: 'zoo'}}]}));
  await step('control_broadcast', async () => {
    await call(broadcasts, 'ControlBroadcast', {Id: broadcastId, Command: 'START'});
    return (await call(broadcasts, 'GetBroadcast', {Id: broadcastId})).Status;
  });
  await step('broadcast_config', async () => {
    const broadcast = await call(broadcasts, 'GetBroadcast', {Id: broadcastId});
    const config = broadcast.VoiceBroadcastConfig;
    return [broadcast.Name, config.FromNumber, config.AnsweringMachineConfig,
            config.LiveSoundText, config.MachineSoundText].join('|');
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
