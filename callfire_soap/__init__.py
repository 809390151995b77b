"""callfire-soap: a stand-in server for the retired CallFire API 1.1 SOAP interface."""
__version__ = "0.1.0"
