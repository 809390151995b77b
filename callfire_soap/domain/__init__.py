"""Operations that span several store modules, and the rules that tie them together.

A SOAP handler (``services/``) that needs more than one store call calls one
function here instead: the order of the steps, and what must hold between
them, live in one place, whichever operation asks (CreateContactBatch with
Start today; SendText and SendCall next).  Like the store, this layer knows
nothing of SOAP.
"""
