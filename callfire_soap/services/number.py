"""NumberService: the number market, orders, and the account's numbers and keywords."""
from __future__ import annotations

from datetime import date, datetime, timezone

from ..soap.models import data, svc
from ..soap.operations import read, write
from ..soap.records import from_record
from ..store import InvalidRequest, NotFound, Session, dialplan, market
from ..store.dnc import normalize as normalize_numbers
from ..store.market import Region, RegionFilter
from ..store.numbers import (KEYWORD_SHORT_CODE, Lease, NumberConfiguration, OwnedKeyword,
                             OwnedNumber, is_keyword, is_toll_free, national_format)
from ..store.orders import NumberOrder, OrderRequest
from .broadcast import moment

ORDER_ITEMS = {"local": "LocalNumbers", "toll_free": "TollFreeNumbers",
               "keywords": "Keywords"}
SETTABLE_FEATURES = ("ENABLED", "DISABLED")


def day(epoch: int) -> date:
    return datetime.fromtimestamp(epoch, timezone.utc).date()


def region_filter(region) -> RegionFilter:
    if region is None:
        return RegionFilter()
    return RegionFilter.of(region.Prefix, city=region.City, state=region.State,
                           zipcode=region.Zipcode, country=region.Country, lata=region.Lata,
                           rate_center=region.RateCenter, time_zone=region.TimeZone)


def region_record(region: Region | None) -> dict | None:
    if region is None:
        return None
    return {"Prefix": region.prefix, "City": region.city, "State": region.state,
            "Zipcode": region.zipcode, "Country": region.country, "Lata": region.lata,
            "RateCenter": region.rate_center, "Latitude": region.latitude,
            "Longitude": region.longitude, "TimeZone": region.time_zone}


def lease_record(lease: Lease) -> dict:
    return {"LeaseBegin": day(lease.begin), "LeaseEnd": day(lease.end),
            "AutoRenew": lease.auto_renew}


def configuration_record(config: NumberConfiguration) -> dict:
    inbound = None
    if config.inbound_type == "IVR":
        inbound = {"IvrInboundConfig": {"DialplanXml": config.dialplan}}
    elif config.inbound_type == "TRACKING":
        inbound = {"CallTrackingConfig": {
            "TransferNumber": config.transfer_numbers or None, "Screen": config.screen,
            "Record": config.record, "IntroSoundId": config.intro_sound_id,
            "WhisperSoundId": config.whisper_sound_id}}
    return {"CallFeature": config.call_feature, "TextFeature": config.text_feature,
            "InboundCallConfigurationType": config.inbound_type,
            "InboundCallConfiguration": inbound}


def number_to_soap(number: str, owned: OwnedNumber | None = None):
    """A data:Number: one for sale (``owned`` None), or one the account owns."""
    record = {"Number": number, "NationalFormat": national_format(number),
              "TollFree": is_toll_free(number), "Region": region_record(market.region_of(number))}
    if owned is not None:
        record.update(Status=owned.status, LeaseInfo=lease_record(owned.lease),
                      NumberConfiguration=configuration_record(owned.configuration))
    return from_record(data("Number"), record)


def keyword_to_soap(keyword: str, owned: OwnedKeyword | None = None):
    record = {"ShortCode": KEYWORD_SHORT_CODE, "Keyword": keyword}
    if owned is not None:
        record.update(ShortCode=owned.short_code, Status=owned.status,
                      LeaseInfo=lease_record(owned.lease))
    return from_record(data("Keyword"), record)


def order_to_soap(order: NumberOrder):
    return from_record(data("NumberOrder"), {
        "id": order.id, "Status": order.status, "Created": moment(order.created),
        "TotalCost": order.total_cost,
        **{ORDER_ITEMS[kind]: {"Ordered": item.ordered, "UnitCost": item.unit_cost,
                               "Fulfilled": item.fulfilled or None}
           for kind, item in order.items.items()}})


def query_regions(session: Session, request):
    page = market.query_regions(region_filter(request.Region), request.FirstResult,
                                request.MaxResults)
    return svc("RegionQueryResult")(
        TotalResults=page.total,
        Region=[from_record(data("Region"), region_record(r)) for r in page.items])


def query_numbers(session: Session, request):
    page = session.numbers.query(region_filter(request.Region), request.LabelName,
                                 request.FirstResult, request.MaxResults)
    return svc("NumberQueryResult")(TotalResults=page.total,
                                    Number=[number_to_soap(n.number, n) for n in page.items])


def get_number(session: Session, request):
    owned = session.numbers.get(request.Number)
    return number_to_soap(owned.number, owned)


def configuration_from_soap(soap, stored: NumberConfiguration) -> NumberConfiguration:
    """The stored configuration with what the request sets: features and the inbound
    call configuration it gives, the rest as it was."""
    config = NumberConfiguration(**vars(stored))
    for name, value in (("CallFeature", soap.CallFeature), ("TextFeature", soap.TextFeature)):
        if value is not None and value not in SETTABLE_FEATURES:
            raise InvalidRequest("%s can be set to ENABLED or DISABLED, not %s"
                                 % (name, value), detail=name)
    config.call_feature = soap.CallFeature or config.call_feature
    config.text_feature = soap.TextFeature or config.text_feature
    inbound = soap.InboundCallConfiguration
    given = None if inbound is None else (
        "IVR" if inbound.IvrInboundConfig is not None else
        "TRACKING" if inbound.CallTrackingConfig is not None else None)
    kind = soap.InboundCallConfigurationType or given
    if given is not None and kind != given:
        raise InvalidRequest("InboundCallConfigurationType %s does not match the %s given"
                             % (kind, "IvrInboundConfig" if given == "IVR"
                                else "CallTrackingConfig"),
                             detail="InboundCallConfigurationType")
    if given == "IVR":
        config.dialplan = inbound.IvrInboundConfig.DialplanXml
    elif given == "TRACKING":
        tracking = inbound.CallTrackingConfig
        config.transfer_numbers = normalize_numbers(tracking.TransferNumber or [])
        config.screen, config.record = bool(tracking.Screen), bool(tracking.Record)
        config.intro_sound_id = tracking.IntroSoundId
        config.whisper_sound_id = tracking.WhisperSoundId
    config.inbound_type = kind or config.inbound_type
    if config.inbound_type == "IVR":
        if not config.dialplan:
            raise InvalidRequest("an IVR number needs IvrInboundConfig's DialplanXml",
                                 detail="DialplanXml")
        dialplan.check(config.dialplan)
    if config.inbound_type == "TRACKING" and not config.transfer_numbers:
        raise InvalidRequest("a call tracking number needs CallTrackingConfig's "
                             "TransferNumber", detail="TransferNumber")
    return config


def configure_number(session: Session, request) -> None:
    owned = session.numbers.get(request.Number)
    session.numbers.configure(owned.number, configuration_from_soap(
        request.NumberConfiguration, owned.configuration))


def search_available_numbers(session: Session, request):
    found = market.search(region_filter(request.Region), bool(request.TollFree),
                          market.check_count(request.Count), session.numbers.taken)
    return svc("NumberQueryResult")(TotalResults=len(found),
                                    Number=[number_to_soap(n) for n in found])


def query_keywords(session: Session, request):
    page = session.keywords.query(request.FirstResult, request.MaxResults)
    return svc("KeywordQueryResult")(
        TotalResults=page.total, Keyword=[keyword_to_soap(k.keyword, k) for k in page.items])


def search_available_keywords(session: Session, request):
    """The keywords asked for that can be bought; the others (held, lately released,
    or no keyword at all) are left out."""
    wanted = [k for k in dict.fromkeys(request.Keywords or []) if is_keyword(k)]
    available = [k.upper() for k, free in session.keywords.available(wanted).items() if free]
    return svc("KeywordQueryResult")(TotalResults=len(available),
                                     Keyword=[keyword_to_soap(k) for k in available])


def create_number_order(session: Session, request) -> int:
    local, toll_free = request.BulkLocal, request.BulkTollFree
    return session.orders.create(OrderRequest(
        numbers=request.Numbers or [], keywords=request.Keywords or [],
        bulk_local=None if local is None else local.Count,
        bulk_local_region=RegionFilter() if local is None else region_filter(local.Region),
        bulk_toll_free=None if toll_free is None else toll_free.Count))


def get_number_order(session: Session, request):
    return order_to_soap(session.orders.get(request.Id))


def release(session: Session, request) -> None:
    """A number, or with Keyword the keyword on the short code Number names."""
    if request.Keyword is None:
        session.numbers.release(request.Number)
    elif request.Number != KEYWORD_SHORT_CODE:
        raise NotFound("Keyword", "%s on %s" % (request.Keyword, request.Number))
    else:
        session.keywords.release(request.Keyword)


OPERATIONS = {
    "QueryRegions": read(query_regions),
    "QueryNumbers": read(query_numbers),
    "GetNumber": read(get_number),
    "ConfigureNumber": write(configure_number),
    "SearchAvailableNumbers": read(search_available_numbers),
    "QueryKeywords": read(query_keywords),
    "SearchAvailableKeywords": read(search_available_keywords),
    "CreateNumberOrder": write(create_number_order),
    "GetNumberOrder": read(get_number_order),
    "Release": write(release),
}
