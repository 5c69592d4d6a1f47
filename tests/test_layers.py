"""The house rule on imports (docs/architecture.md): a room imports only the rooms below it, so
a stage change never climbs back up through the packages that listen to it. Walks the source,
so a new import that breaks the rule fails here, naming the file and the line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "community"

# Lowest first. A room may import its own modules and the rooms of lower layers only.
LAYERS: list[set[str]] = [
    {"config", "extensions", "core"},  # the base: imports no room
    {"pipeline", "events", "worker"},  # the vocabulary every room speaks, and the clock
    {"accounts"},
    {"program"},
    {"jobs"},
    {"referrals"},  # the spine ends here: it imports none of the rooms that listen to it
    {"notifications"},  # a registry the rooms above fill in; it imports none of them
    {"points"},
    {"badges"},
    {"leaderboards"},
    {"payouts"},
    {"thanks"},
    {"perks"},
    {"challenges"},  # on the ledger, the boards and the shop
    {"club"},  # the referrer club: who is in, who moderates
    {"forum"},  # the club's forum
    {"search"},  # the forum's search index, kept in step through ForumPostsChanged
    {"mentoring", "sharing"},  # sessions: members host them; each opens a forum topic
    {"mail", "teamchat"},  # messages that leave the app: e-mail, group chat robots
    {"links"},  # personal links and referral codes: candidates apply through the spine
    {"network"},  # the private network and the outreach coaches: private to their owner
    {"invites"},  # one-click invitations: mail and text messages to candidates, their consent
    {"analytics", "credentials", "webhooks"},  # measuring, portable badges, ATS sync
    {"api"},  # the JSON API for HR integrations: reads and moves through the rooms below
    {"people", "home"},  # pages that read several rooms
    {"models"},  # the wiring, from here on: every model for the metadata,
    {"demo"},  # demo data written through the services,
    {"cli"},  # the commands,
    {"__init__"},  # and create_app
]
LAYER_OF = {room: index for index, rooms in enumerate(LAYERS) for room in rooms}
# Rooms that sit above others in the list but may not import them all.
ONLY = {
    "core": {"config", "extensions"},
    "extensions": {"core", "config"},
    "config": set(),
    "pipeline": {"core"},
    "events": {"pipeline", "core"},
    "worker": {"config", "extensions", "core"},
    "notifications": {"config", "extensions", "core", "pipeline", "events"},
}


def _room(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "community":
                found += [(node.lineno, alias.name) for alias in node.names]
            elif node.module.startswith("community."):
                found.append((node.lineno, node.module.split(".")[1]))
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, alias.name.split(".")[1])
                for alias in node.names
                if alias.name.startswith("community.")
            ]
    return found


def _breaches() -> list[str]:
    breaches = []
    for path in sorted(ROOT.rglob("*.py")):
        room = _room(path)
        for line, target in _imports(path):
            if target == room:
                continue
            allowed = (
                target in ONLY[room]
                if room in ONLY
                else LAYER_OF.get(target, 99) < LAYER_OF.get(room, -1)
            )
            if not allowed:
                breaches.append(f"{path.relative_to(ROOT.parent)}:{line}: {room} imports {target}")
    return breaches


def test_every_room_has_a_layer() -> None:
    rooms = {_room(path) for path in ROOT.rglob("*.py")} - {"translations"}
    assert rooms <= set(LAYER_OF), f"place these rooms in LAYERS: {sorted(rooms - set(LAYER_OF))}"


def test_rooms_import_only_the_rooms_below_them() -> None:
    assert _breaches() == []


@pytest.mark.parametrize(
    ("room", "source", "breach"),
    [
        ("referrals", "from community.points import services\n", "referrals imports points"),
        ("core", "from community.accounts.models import User\n", "core imports accounts"),
        ("notifications", "import community.badges.registry\n", "notifications imports badges"),
    ],
)
def test_the_rule_catches_an_import_upwards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, room: str, source: str, breach: str
) -> None:
    fake = tmp_path / "community"
    (fake / room).mkdir(parents=True)
    (fake / room / "upwards.py").write_text(source, encoding="utf-8")
    monkeypatch.setitem(globals(), "ROOT", fake)
    assert [line.split(": ", 1)[1] for line in _breaches()] == [breach]
