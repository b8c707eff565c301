"""Mock government portals on loopback: the demo portal and the test portals of each CMS family."""
from .server import PortalServer
from .site import Resource, Site

__all__ = ["PortalServer", "Resource", "Site"]
