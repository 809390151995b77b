#!/usr/bin/perl
# The client zoo's scenario through Perl SOAP::Lite, used as Perl integrations
# use it: proxy() at the endpoint (SOAP::Lite's service() finds no operation in
# a SOAP 1.2 binding), default_ns, on_action for the soapAction, SOAP::Data
# with its default autotyping, credentials through get_basic_credentials, and
# values read from the SOAP::SOM.  Prints one "check<TAB>value" line per step
# (tests/test_clients.py reads them); a step that dies prints "!" and why.
#
# It sends SOAP 1.1, SOAP::Lite's default.
#
# Environment: CALLFIRE_ENDPOINT (".../soap12", the service is appended),
# CALLFIRE_LOGIN, CALLFIRE_PASSWORD.
use strict;
use warnings;
use SOAP::Lite;

my $SVC = 'http://api.callfire.com/service/xsd';
my $DATA = 'http://api.callfire.com/data';

sub SOAP::Transport::HTTP::Client::get_basic_credentials {
    return $ENV{CALLFIRE_LOGIN} => $ENV{CALLFIRE_PASSWORD};
}

sub service {
    my ($name, $path) = @_;
    my $soap = SOAP::Lite->new;
    $soap->proxy("$ENV{CALLFIRE_ENDPOINT}/$path");
    $soap->default_ns($SVC);
    $soap->on_action(sub { "http://api.callfire.com/service/wsdl/${name}PortType/$_[1]" });
    return $soap;
}

# Call an operation; a SOAP fault dies with its FaultCode.
sub call {
    my ($soap, $operation, @params) = @_;
    my $som = $soap->call($operation, @params);
    die 'fault ' . fault_code($som) . ': ' . $som->faultstring . "\n" if $som->fault;
    return $som;
}

sub fault_code {
    my ($som) = @_;
    my $detail = $som->faultdetail;
    return ref $detail eq 'HASH' ? $detail->{ServiceFaultInfo}{FaultCode} : '(no detail)';
}

sub step {
    my ($check, $run) = @_;
    my $value = eval { $run->() };
    $value = '!' . ($@ || 'died') unless defined $value && !$@;
    $value =~ s/[\r\n]+/ /g;
    print "$check\t$value\n";
}

sub data { SOAP::Data->name(@_) }

my $contacts = service('ContactService', 'contact');
my $broadcasts = service('BroadcastService', 'broadcast');
my ($list_id, $first, $second, $broadcast_id);

step('list_from_numbers', sub {
    $list_id = call($contacts, 'CreateContactList', data(Name => 'zoo numbers'),
        data(ContactSource => \data(Numbers => '13105551212 12135551000')))->valueof('//CreatedId');
});
step('query_contacts', sub {
    my $som = call($contacts, 'QueryContacts', data(ContactListId => $list_id));
    my @found = map { $_->attr } $som->dataof('//ContactQueryResult/Contact');
    ($first, $second) = map { $_->{id} } @found;
    return join ' ', $som->valueof('//TotalResults'), map { $_->{homePhone} } @found;
});
step('get_contact', sub {
    call($contacts, 'GetContact', data(Id => $first))->dataof('//Contact')->attr->{homePhone};
});
step('update_contacts', sub {
    call($contacts, 'UpdateContacts', data('Contact')->attr({
        xmlns => $DATA, id => $first, firstName => 'Ann', crmId => 'A-17'}));
    my $updated = call($contacts, 'GetContact', data(Id => $first))->dataof('//Contact')->attr;
    return "$updated->{firstName} $updated->{crmId}";
});
step('not_found_fault', sub {
    my $som = $contacts->call('GetContact', data(Id => $first + 1000000));
    return $som->fault ? fault_code($som) : 'no fault';
});
step('list_from_ids', sub {
    my $ids = call($contacts, 'CreateContactList', data(Name => 'zoo ids'),
        data(ContactSource => \data(ContactId => "$first $second")))->valueof('//CreatedId');
    return call($contacts, 'GetContactList', data(Id => $ids))->valueof('//ContactList/Size');
});
step('create_broadcast', sub {
    $broadcast_id = call($broadcasts, 'CreateBroadcast', data(Broadcast => \SOAP::Data->value(
        data(Name => 'zoo voice'),
        data(VoiceBroadcastConfig => \SOAP::Data->value(
            data(FromNumber => '13105550000'),
            data(AnsweringMachineConfig => 'AM_AND_LIVE'),
            data(LiveSoundText => 'Hello from the zoo'),
            data(MachineSoundText => 'Sorry we missed you')))->attr({xmlns => $DATA})
    ))->attr({xmlns => $DATA}))->valueof('//CreatedId');
});
step('create_contact_batch', sub {
    call($broadcasts, 'CreateContactBatch', data(BroadcastId => $broadcast_id),
        data(Name => 'zoo batch'), data(ToNumber => '13105550101'),
        data(ToNumber => '13105550102')->attr({ClientData => 'zoo'}))->valueof('//CreatedId');
});
step('control_broadcast', sub {
    call($broadcasts, 'ControlBroadcast', data(Id => $broadcast_id), data(Command => 'START'));
    return call($broadcasts, 'GetBroadcast', data(Id => $broadcast_id))->valueof('//Broadcast/Status');
});
step('broadcast_config', sub {
    my $som = call($broadcasts, 'GetBroadcast', data(Id => $broadcast_id));
    my $config = $som->valueof('//Broadcast/VoiceBroadcastConfig');
    return join '|', $som->valueof('//Broadcast/Name'),
        map { $config->{$_} // '' } qw(FromNumber AnsweringMachineConfig LiveSoundText MachineSoundText);
});
