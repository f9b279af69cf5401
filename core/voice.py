"""Who a sentence about one person speaks to: the person themself ("you are
at L2", on their own pages) or the people team and managers about them ("Ana
is at L2", with "they" and "their" after the name, since nobody's gender is
guessed). A reason is written once, with these words, and said in each voice.
Shared by every app; imports none."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Voice:
    name: str = ""  # "": speaking to the person

    @property
    def you(self) -> str:
        """The person, first named: "you" / "Ana"."""
        return self.name or "you"

    @property
    def You(self) -> str:
        return self.name or "You"

    @property
    def your(self) -> str:
        """Their, first named: "your" / "Ana's"."""
        return f"{self.name}'s" if self.name else "your"

    @property
    def Your(self) -> str:
        return f"{self.name}'s" if self.name else "Your"

    @property
    def they(self) -> str:
        """The person again, once named: "you" / "they"."""
        return "they" if self.name else "you"

    @property
    def them(self) -> str:
        return "them" if self.name else "you"

    @property
    def their(self) -> str:
        return "their" if self.name else "your"

    @property
    def has(self) -> str:
        """The verb after ``you``: "you have" / "Ana has"."""
        return "has" if self.name else "have"

    def be(self, *, past: bool = False) -> str:
        """The verb after ``you``: "are"/"were" to them, "is"/"was" about them."""
        if past:
            return "was" if self.name else "were"
        return "is" if self.name else "are"


TO_THEM = Voice()


def about(name: str) -> Voice:
    return Voice(name=name)


# A reason that can be said in either voice.
Wording = Callable[[Voice], str]
