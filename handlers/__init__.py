"""The conversation core: channel-free logic that turns an Incoming into Replies."""

from handlers.assistant import Assistant
from handlers.deps import Deps
from handlers.types import Button, Incoming, Reply, ReplyKind

__all__ = ["Assistant", "Button", "Deps", "Incoming", "Reply", "ReplyKind"]
