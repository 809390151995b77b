"""Time zones of destination numbers, from their area codes.

The broadcast simulator honours LocalTimeZoneRestriction: a call is placed only
between BeginTime and EndTime in the callee's local time, so it needs the zone
of each number it dials.  North American numbers tell it by their area code.
"""
DEFAULT_ZONE = "America/New_York"  # for numbers the table below does not place

# US, its territories and Canada.  An area code that spans two zones is listed
# under the zone where most of its people live: 219 (northwest Indiana),
# 270/364 (western Kentucky) and 850/448 (Florida panhandle) under Chicago; the
# rest of Indiana, 423 (Chattanooga), 606 and 906 (Upper Peninsula) under
# New_York; 915 (El Paso) under Denver; 208/986 (Idaho) under Denver; 807
# (Thunder Bay) under Toronto.  Left out on purpose: 867 (Yukon, Northwest
# Territories and Nunavut span several zones) and non-geographic codes.
_AREA_CODES = {
    "America/New_York": """
        201 202 203 207 212 215 216 220 223 227 229 231 234 239 240 248 252 260 267 269 272
        276 283 301 302 304 305 313 315 317 321 324 326 329 330 332 336 339 347 351 352 363
        380 386 401 404 407 410 412 413 419 423 434 440 443 445 463 470 475 478 484 502 508
        513 516 517 518 540 551 561 567 570 571 574 582 585 586 603 606 607 609 610 614 616
        617 631 640 646 656 667 678 679 680 681 686 689 703 704 706 716 717 718 724 727 728
        732 734 740 743 754 757 762 765 770 771 772 774 781 786 802 803 804 810 812 813 814
        826 828 838 839 843 845 848 854 856 857 859 860 862 863 864 865 878 904 906 908 910
        912 914 917 919 929 930 934 937 941 943 947 948 954 959 973 978 980 984 989
    """,
    "America/Chicago": """
        205 210 214 217 218 219 224 225 228 235 251 254 256 262 270 274 281 308 309 312 314
        316 318 319 320 325 327 331 334 337 346 353 361 364 402 405 409 414 417 430 432 447
        448 464 469 479 501 504 507 512 515 531 534 539 557 563 572 573 580 601 605 608 612
        615 618 620 629 630 636 641 651 659 660 662 682 701 708 712 713 715 726 730 731 737
        763 769 773 779 785 806 815 816 817 830 832 847 850 861 870 872 901 903 913 918 920
        924 931 936 938 940 945 952 956 972 975 979 985
    """,
    "America/Denver": "208 303 307 385 406 435 505 575 719 720 748 801 915 970 983 986",
    "America/Phoenix": "480 520 602 623 928",  # Arizona keeps standard time all year
    "America/Los_Angeles": """
        206 209 213 253 279 310 323 341 350 357 360 369 408 415 424 425 442 458 503 509 510
        530 541 559 562 564 619 626 628 650 657 661 669 702 707 714 725 738 747 760 775 805
        818 820 831 837 840 858 909 916 925 949 951 971
    """,
    "America/Anchorage": "907",
    "Pacific/Honolulu": "808",
    "America/Puerto_Rico": "787 939",
    "America/St_Thomas": "340",
    "Pacific/Guam": "671",
    "Pacific/Saipan": "670",
    "Pacific/Pago_Pago": "684",
    "America/Toronto": """
        226 249 263 289 343 354 365 367 382 416 418 437 438 450 468 514 519 548 579 581 613
        647 683 705 742 753 807 819 873 905
    """,
    "America/Winnipeg": "204 431 584",
    "America/Regina": "306 474 639",  # Saskatchewan keeps standard time all year
    "America/Edmonton": "368 403 587 780 825",
    "America/Vancouver": "236 250 257 604 672 778",
    "America/Halifax": "428 506 782 902",
    "America/St_Johns": "709 879",
}

_ZONES = {code: zone for zone, codes in _AREA_CODES.items() for code in codes.split()}


def zone_of(number: str) -> str:
    """The IANA time zone of a North American number, from its area code.

    ``number`` is 11 E.164 digits (``13105550101``) or 10 without the country
    code; anything else, or an area code the table does not place, gets
    DEFAULT_ZONE.
    """
    if len(number) == 11 and number.startswith("1"):
        number = number[1:]
    if len(number) != 10 or not (number.isascii() and number.isdigit()):
        return DEFAULT_ZONE
    return _ZONES.get(number[:3], DEFAULT_ZONE)
