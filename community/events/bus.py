"""The mechanism: `Event`, its declaration (`_event`), `publish`, `subscribe` and the `Cause` a
chain of events runs in (see the package's notes)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, MutableSet
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from blinker import NamedSignal

E = TypeVar("E", bound="Event")


class _InOrder(MutableSet[Any]):
    """A set that iterates in insertion order: blinker then calls receivers in the order they
    connected (its default `set` calls them in an order that changes from run to run)."""

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self._items = dict.fromkeys(items)

    def __contains__(self, item: object) -> bool:
        return item in self._items

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def add(self, item: Any) -> None:
        self._items[item] = None

    def discard(self, item: Any) -> None:
        self._items.pop(item, None)

    def copy(self) -> _InOrder:
        return _InOrder(self._items)


class _Signal(NamedSignal):
    set_class = _InOrder  # type: ignore[assignment]


class Event:
    """Base of every event: a frozen dataclass with its own signal."""

    signal: ClassVar[_Signal]


def _event(name: str) -> Callable[[type[E]], type[E]]:
    def declare(cls: type[E]) -> type[E]:
        cls = dataclass(frozen=True, slots=True)(cls)
        cls.signal = _Signal(name, doc=cls.__doc__)
        return cls

    return declare


@dataclass(eq=False)
class Cause:
    """The outermost event being published, while its listeners run: every event they publish in
    turn happens inside it (a hire earns points, a badge, a bonus: one cause). `info` keeps what
    a listening room gathers across the whole chain (notifications gather one message per
    person); callbacks given to `when_settled` run once every listener of the chain has run,
    still inside the publisher's transaction, so one that raises rolls everything back."""

    event: Event
    info: dict[str, Any] = field(default_factory=dict)
    settled: dict[str, Callable[[], None]] = field(default_factory=dict)

    def when_settled(self, name: str, callback: Callable[[], None]) -> None:
        """Run `callback()` when the chain is done (once per `name`)."""
        self.settled[name] = callback


_CAUSE: ContextVar[Cause | None] = ContextVar("community_event_cause", default=None)


def cause() -> Cause | None:
    """The outermost event being published now (None outside of any)."""
    return _CAUSE.get()


def publish(event: Event) -> None:
    """Run every listener of `event` now, inside the caller's transaction (see the module notes);
    an exception of a listener propagates to the publisher, which rolls back. Published from a
    listener, it happens inside the outer event's `Cause`; otherwise it is a cause itself and its
    `when_settled` callbacks run after the last listener."""
    if _CAUSE.get() is not None:
        event.signal.send(event)
        return
    outermost = Cause(event)
    token = _CAUSE.set(outermost)
    try:
        event.signal.send(event)
    finally:
        _CAUSE.reset(token)
    for callback in outermost.settled.values():
        callback()


def subscribe(event_type: type[E], listener: Callable[[E], None]) -> None:
    """Call `listener(event)` for every `event_type` published from now on (idempotent)."""
    event_type.signal.connect(listener, weak=False)


def unsubscribe(event_type: type[E], listener: Callable[[E], None]) -> None:
    event_type.signal.disconnect(listener)


def listeners(event_type: type[Event]) -> list[Callable[..., Any]]:
    """The listeners of `event_type`, in the order they run (for docs and tests)."""
    return list(event_type.signal.receivers_for(None))
