"""Staff roles and the audit log in storage; stored roles count in role checks."""

from __future__ import annotations

import pytest

from handlers.context import Ctx
from handlers.roles import has_role
from handlers.types import Incoming

pytestmark = pytest.mark.both_engines


async def test_grant_revoke_and_list(deps) -> None:
    roles = deps.storage.roles
    assert await roles.grant("telegram", "55", "viewer", "telegram:9000") is True
    assert await roles.grant("telegram", "55", "viewer", "telegram:9000") is False
    assert await roles.grant("telegram", "55", "reviewer", "telegram:9000") is True
    assert await roles.roles_of("telegram", "55") == {"viewer", "reviewer"}
    assert [(r.key, r.role) for r in await roles.all()] == [
        ("telegram:55", "reviewer"),
        ("telegram:55", "viewer"),
    ]
    assert await roles.revoke("telegram", "55", "viewer") is True
    assert await roles.revoke("telegram", "55", "viewer") is False
    assert await roles.roles_of("telegram", "55") == {"reviewer"}


async def test_audit_record_and_recent(deps) -> None:
    audit = deps.storage.audit
    first = await audit.record("telegram:9000", "role.grant", "telegram:55", {"role": "viewer"})
    await audit.record("telegram:9000", "export.xlsx")
    entries = await audit.recent()
    assert [e.action for e in entries] == ["export.xlsx", "role.grant"]
    assert entries[1].id == first
    assert entries[1].detail == {"role": "viewer"}
    assert entries[1].target == "telegram:55"
    assert entries[1].created_at is not None
    assert [e.id for e in await audit.recent(action="role.grant")] == [first]


async def test_stored_roles_count_in_role_checks(deps) -> None:
    user = await deps.storage.users.touch("telegram", "55", "Staff")
    ctx = Ctx(deps, Incoming("telegram", "55", text="x"), user, None)
    assert not await has_role(ctx, "reviewer")
    await deps.storage.roles.grant("telegram", "55", "reviewer", "telegram:9000")
    ctx = Ctx(deps, Incoming("telegram", "55", text="x"), user, None)
    assert await has_role(ctx, "reviewer")
    assert not await has_role(ctx, "admin")
