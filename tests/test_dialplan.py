"""The dialplan module: what a simulated callee answers, and what may be stored."""
import pytest

from callfire_soap.store import InvalidRequest
from callfire_soap.store import dialplan

SURVEY = """<dialplan name="Root">
  <menu name="first">
    <play type="tts">Press 1 for yes, 2 for no</play>
    <keypress pressed="1"><stash varname="likes">yes</stash>
      <menu name="second"><keypress pressed="3"><stash varname="again">sure</stash></keypress>
        <keypress pressed="4"><stash varname="again">never</stash></keypress></menu>
    </keypress>
    <keypress pressed="2"><stash varname="likes">no</stash></keypress>
  </menu>
  <!-- a comment is not a step --><stash>no name</stash>
</dialplan>"""


def test_the_callee_takes_the_first_keypress_of_every_menu_and_answers_each_stash():
    assert dialplan.answers(SURVEY) == (("likes", "yes"), ("again", "sure"), ("", "no name"))


@pytest.mark.parametrize("xml, message", [
    ("<dialplan><menu></dialplan>", "not well-formed"),
    ('<!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><d>&e;</d>', "DOCTYPE"),
])
def test_a_dialplan_that_cannot_be_stored_is_refused(xml, message):
    with pytest.raises(InvalidRequest, match=message) as refused:
        dialplan.check(xml)
    assert refused.value.detail == "DialplanXml"


def test_a_well_formed_dialplan_is_stored():
    assert dialplan.check(SURVEY) is None
