"""The WhatsApp Cloud API channel: signed webhooks in, Graph API messages out."""

from channels.whatsapp.app import (
    WhatsAppChannel,
    WhatsAppConfigError,
    whatsapp_enabled,
    whatsapp_web_part,
)

__all__ = ["WhatsAppChannel", "WhatsAppConfigError", "whatsapp_enabled", "whatsapp_web_part"]
