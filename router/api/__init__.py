"""The HTTP face of Tianji: the app, its admin routes and one front door per wire format.

    from router.api import create_app
    app = create_app(load_config("config/default.yaml"))
"""

from router.api.app import app_from_env, create_app
from router.api.gateway import Gateway

__all__ = ["Gateway", "app_from_env", "create_app"]
