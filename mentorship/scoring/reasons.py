"""Words for the scored cycle: why a pair scores what it does, which rules a
pair breaks, and why someone was left unmatched. A collaborator of
CycleScoring: it reads only what ReasonInputs declares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import numpy.typing as npt

from core.voice import TO_THEM, Voice, Wording, about

from ..models import RotationCycle
from ..selectors.match_inputs import Participant
from .weights import UNRATED_GAP

IntArray = npt.NDArray[np.int64]

# The candidate funnel, in order. A person with no eligible partner is told the
# first step that left nobody.
TEACHES, SENIOR, OUTSIDE_CHAIN, TEAM_OK, NOT_REPEATED, AVAILABLE = range(6)
STAGES = 6

ORDINALS = {1: "first", 2: "second", 3: "third"}
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


@dataclass(frozen=True)
class PairRules:
    """The hard rules for one pair, one flag each (True: the rule holds)."""

    mentee_open: bool
    mentor_open: bool
    senior: bool
    outside_chain: bool
    team_ok: bool
    not_repeated: bool


@dataclass(frozen=True)
class _FunnelSide:
    """The words of one side's "why unmatched" sentences: the partner they
    lack ("mentor"), what that partner would need (" who teaches Design"),
    whether partners are "above" or "below", the partners left after the
    seniority rule, and whose manager chain or reporting line it is."""

    partner: str
    wanted: str
    direction: str
    near: str
    owner: str
    line: str = "manager chain"


@dataclass(frozen=True)
class ReasonInputs:
    """Everything the words are made of: the people, what they teach and want,
    the preferences, the timezones, the candidate funnel, and the rules of a pair."""

    cycle: RotationCycle
    competency_names: dict[str, str]
    gaps: dict[int, dict[str, int]]  # mentee person -> competency code -> gap
    mentors: list[Participant]
    mentees: list[Participant]
    mentor_index: dict[int, int]  # sign-up id -> index
    mentee_index: dict[int, int]
    mentor_blocked: list[Wording | None]  # why a mentor cannot be paired at all
    mentee_blocked: list[Wording | None]
    teach: npt.NDArray[np.float32]  # mentors x competencies, 0/1
    goal_weight: npt.NDArray[np.float32]  # mentees x competencies, 1 + gap
    code_number: dict[str, int]  # competency code -> column
    rank_of: dict[tuple[int, int], int]  # (mentee, mentor) index -> preference rank
    overlap: npt.NDArray[np.float64]  # zone x zone working-hours overlap
    zone_number: dict[str, int]
    mentee_funnel: IntArray  # mentees x STAGES: candidates left after each rule
    mentor_funnel: IntArray
    rules: Callable[[int, int], PairRules]  # (mentee index, mentor index) -> rules
    excluded: set[tuple[int, int]]  # (mentor, mentee) sign-up ids removed in review


class Reasons:
    """Explanations, refusals and unmatched reasons, from ReasonInputs."""

    def __init__(self, facts: ReasonInputs):
        self.facts = facts

    def refusals(self, mentor_id: int, mentee_id: int) -> list[str]:
        """Every hard rule the pair breaks, in words; empty if it may be paired."""
        f = self.facts
        j, i = f.mentor_index.get(mentor_id), f.mentee_index.get(mentee_id)
        if j is None or i is None:
            return ["One of the two sign-ups was withdrawn or is not part of this cycle."]
        mentor, mentee = f.mentors[j], f.mentees[i]
        rules = f.rules(i, j)
        found = []
        # Refusals are read by the people team: about the two, not to them.
        for blocked, person in ((f.mentee_blocked[i], mentee), (f.mentor_blocked[j], mentor)):
            if blocked:
                found.append(blocked(about(person.name)))
        if rules.mentee_open and rules.mentor_open and not rules.senior:
            found.append(
                f"{mentor.name} ({mentor.level_code}) is not {_levels(f.cycle.min_level_gap)} "
                f"above {mentee.name} ({mentee.level_code})."
            )
        if not rules.outside_chain:
            found.append(f"{mentor.name} is in {mentee.name}'s manager chain.")
        if not rules.team_ok:
            found.append(
                f"Both are on {mentee.team_name}, and this cycle pairs people across teams."
            )
        if (mentor_id, mentee_id) in f.excluded:
            found.append("The people team removed this pair earlier in this cycle's review.")
        elif not rules.not_repeated:
            found.append(f"They were paired within the last {_cycles(f.cycle.repeat_window)}.")
        return found

    def explain(self, mentor_id: int, mentee_id: int) -> list[str]:
        """Why this pair scores what it does, in sentences, from the mentee's side."""
        j, i = self.facts.mentor_index[mentor_id], self.facts.mentee_index[mentee_id]
        return self._explain(i, j, {})

    def explanations(self, rows: IntArray, cols: IntArray) -> list[list[str]]:
        """``explain`` for many pairs at once (mentee and mentor indices), in one
        pass: a sentence about two timezones is written once per pair of zones."""
        said: dict[tuple[str, str], str] = {}
        return [
            self._explain(i, j, said) for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
        ]

    def _explain(self, i: int, j: int, said: dict[tuple[str, str], str]) -> list[str]:
        f = self.facts
        mentor, mentee = f.mentors[j], f.mentees[i]
        lines = [self._goal_sentence(i, j)]
        rank = f.rank_of.get((i, j))
        if rank in ORDINALS:
            lines.append(f"Your {ORDINALS[rank]} choice")
        elif rank is not None:
            lines.append(f"Your choice number {rank}")
        if mentee.team_id is not None and mentor.team_id is not None:
            if mentee.team_id != mentor.team_id:
                lines.append(f"Crosses teams: {mentee.team_name} → {mentor.team_name}")
            else:
                lines.append(f"Same team: {mentee.team_name}")
        zones = (mentee.timezone, mentor.timezone)
        if zones not in said:
            said[zones] = self._overlap_sentence(*zones)
        lines.append(said[zones])
        return lines

    def _goal_sentence(self, i: int, j: int) -> str:
        f = self.facts
        mentee = f.mentees[i]
        if not mentee.competencies:
            return "You named no learning goals, so this pair rests on what follows"
        goals = self._goals_by_gap(i)
        covered = [c for c in goals if f.teach[j, f.code_number[c]] > 0]
        if not covered:
            return "Teaches none of your learning goals"
        names = _join([f.competency_names.get(c, c) for c in covered], "and")
        return f"Teaches {names}, {self._which_goals(i, goals, covered)}"

    def _which_goals(self, i: int, goals: list[str], covered: list[str]) -> str:
        """'your two biggest gaps' when the assessment says so, else how many goals."""
        k, n = len(covered), len(goals)
        rated = self.facts.gaps.get(self.facts.mentees[i].person_id, {})
        if rated:
            gap = {**dict.fromkeys(goals, UNRATED_GAP), **rated}
            others = [g for c, g in gap.items() if c not in covered]
            smallest = min(gap[c] for c in covered)
            if smallest > 0 and (not others or smallest >= max(others)):
                return "your biggest gap" if k == 1 else f"your {_number(k)} biggest gaps"
        if k == n:
            return {1: "your learning goal", 2: "both your learning goals"}.get(
                k, f"all {k} of your learning goals"
            )
        return f"{_number(k)} of your {_number(n)} learning goals"

    def _goals_by_gap(self, i: int) -> list[str]:
        """The mentee's goals, biggest gap first, then in ladder order."""
        f = self.facts
        mentee = f.mentees[i]
        weight = {c: f.goal_weight[i, f.code_number[c]] for c in mentee.competencies}
        order = {c: k for k, c in enumerate(mentee.competencies)}
        return sorted(mentee.competencies, key=lambda c: (-weight[c], order[c]))

    def _overlap_sentence(self, mine: str, theirs: str) -> str:
        f = self.facts
        hours = float(f.overlap[f.zone_number[mine], f.zone_number[theirs]])
        where = f"both {mine}" if mine == theirs else f"{mine} / {theirs}"
        if hours <= 0:
            return f"No working hours overlap ({where})"
        unit = "working hour overlaps" if hours == 1 else "working hours overlap"
        return f"{hours:g} {unit} ({where})"

    # --- who is left out, and why --------------------------------------------------

    def unmatched(
        self, mentor_of: IntArray, edge_i: IntArray, edge_j: IntArray, capacity: IntArray
    ) -> list[dict[str, object]]:
        """A reason for everyone the assignment (mentor index per mentee, -1 when
        unmatched) left out: mentees without a mentor and mentors without a mentee.
        ``edge_i``, ``edge_j`` are the candidate edges, ``capacity`` what each
        mentor offered."""
        f = self.facts
        matched_mentee = mentor_of >= 0
        load = np.bincount(mentor_of[matched_mentee], minlength=len(f.mentors))
        team_matched: dict[int, int] = {}
        for i in np.flatnonzero(matched_mentee).tolist():
            team = f.mentees[i].team_id
            if team is not None:
                team_matched[team] = team_matched.get(team, 0) + 1
        full = load >= capacity
        edges_left = np.bincount(edge_i, weights=~full[edge_j], minlength=len(f.mentees))
        rows = []
        for i in np.flatnonzero(~matched_mentee).tolist():
            room_left = bool(edges_left[i] > 0)
            reason = partial(self._mentee_reason, i, room_left, team_matched)
            rows.append(_row(f.mentees[i], reason))
        for j in np.flatnonzero(load == 0).tolist():
            rows.append(_row(f.mentors[j], partial(self._mentor_reason, j)))
        return rows

    # Each reason is written once, in a Voice: "you" on the person's own page,
    # their name (then "they", "their") on the people team's and managers' pages.

    def _mentee_reason(
        self, i: int, room_left: bool, team_matched: dict[int, int], v: Voice
    ) -> str:
        f = self.facts
        mentee = f.mentees[i]
        blocked = f.mentee_blocked[i]
        if blocked:
            return blocked(v)
        funnel = f.mentee_funnel[i]
        if funnel[AVAILABLE] == 0:
            return self._mentee_funnel_reason(i, funnel, v)
        cap = f.cycle.max_mentees_per_team
        if cap is not None and mentee.team_id is not None:
            matched = team_matched.get(mentee.team_id, 0)
            if matched >= cap:
                return (
                    f"Team cap reached: {mentee.team_name} already has {matched} "
                    f"{_plural(matched, 'mentee')} matched (the cap is {cap})."
                )
        count = int(funnel[AVAILABLE])
        if not room_left:
            if count == 1:
                return f"{v.Your} one eligible mentor is full."
            return f"All {count} eligible mentors are full."
        return f"Not matched: the best assignment for everyone left no mentor for {v.you}."

    def _mentee_funnel_reason(self, i: int, funnel: IntArray, v: Voice) -> str:
        mentee = self.facts.mentees[i]
        if funnel[TEACHES] == 0:
            return f"No mentor teaches {_join(self._goal_names(i), 'or')} this cycle."
        wanted = " who teaches " + _join(self._goal_names(i), "or") if mentee.competencies else ""
        removed = any(mentee_id == mentee.signup_id for _, mentee_id in self.facts.excluded)
        side = _FunnelSide("mentor", wanted, "above", f"mentor senior enough{wanted}", v.your)
        count = int(funnel[NOT_REPEATED])
        return self._rule_reason(funnel, side, mentee, removed, v) or (
            f"{_every(count, 'mentor').capitalize()} who fits {v.you} is at their concurrent-"
            "commitment limit or offered no capacity."
        )

    def _mentor_reason(self, j: int, v: Voice) -> str:
        f = self.facts
        mentor = f.mentors[j]
        blocked = f.mentor_blocked[j]
        if blocked:
            return blocked(v)
        funnel = f.mentor_funnel[j]
        taught = [f.competency_names.get(c, c) for c in mentor.competencies]
        if funnel[TEACHES] == 0:
            if not taught:
                return f"{v.You} named nothing to teach, and no mentee ranked {v.them}."
            return f"No mentee wants to learn {_join(taught, 'or')} this cycle."
        wanted = " who wants to learn " + _join(taught, "or") if taught else ""
        removed = any(mentor_id == mentor.signup_id for mentor_id, _ in f.excluded)
        near = f"mentee far enough below {v.you}{wanted}"
        side = _FunnelSide("mentee", wanted, "below", near, v.their, line="reporting line")
        count = int(funnel[NOT_REPEATED])
        return self._rule_reason(funnel, side, mentor, removed, v) or (
            f"{_every(count, 'mentee').capitalize()} {v.you} could mentor was matched with a "
            "mentor who fits them better, or their team had reached its cap."
        )

    def _rule_reason(
        self, funnel: IntArray, side: _FunnelSide, person: Participant, removed: bool, v: Voice
    ) -> str | None:
        """The sentence for the first hard rule that left the person no partner
        (either side's words in ``side``); None when every rule left someone.
        ``removed``: the people team removed a pair of theirs."""
        cycle = self.facts.cycle
        if funnel[SENIOR] == 0:
            return (
                f"No {side.partner}{side.wanted} is {_levels(cycle.min_level_gap)} "
                f"{side.direction} {v.you} ({v.they} are at {person.level_code})."
            )
        if funnel[OUTSIDE_CHAIN] == 0:
            return f"Every {side.near} is in {side.owner} {side.line}."
        if funnel[TEAM_OK] == 0:
            return (
                f"Every {side.near} outside {side.owner} {side.line} is on {v.their} team "
                f"({person.team_name}), and this cycle pairs people across teams."
            )
        if funnel[NOT_REPEATED] == 0:
            partners = _every(int(funnel[TEAM_OK]), side.partner)
            window = _cycles(cycle.repeat_window)
            if removed:
                return (
                    f"The people team removed {v.your} pair with {partners} who fits {v.them}, "
                    f"or {v.they} were paired within the last {window}."
                )
            return (
                f"{v.You} {v.be(past=True)} paired with {partners} who fits {v.them} "
                f"within the last {window}."
            )
        return None

    def _goal_names(self, i: int) -> list[str]:
        return [self.facts.competency_names.get(c, c) for c in self._goals_by_gap(i)]


# --- helpers -------------------------------------------------------------------------


def in_third_person(lines: list[str], *, mentee: str) -> list[str]:
    """explain()'s sentences, stored as the mentee reads them ("your learning
    goals"), as the people team reads them ("Ann's first choice", "their
    learning goals"). Only explain()'s own openings are rewritten: a competency
    name that happens to contain "your" stays as it is."""
    return [_third_person(line, mentee) for line in lines]


def _third_person(line: str, mentee: str) -> str:
    if line.startswith("You named "):
        return f"{mentee} named {line.removeprefix('You named ')}"
    if line.startswith("Your "):
        return f"{mentee}'s {line.removeprefix('Your ')}"
    if line == "Teaches none of your learning goals":
        return "Teaches none of their learning goals"
    if line.startswith("Teaches ") and ", " in line:
        # "Teaches Design and Testing, your two biggest gaps": which goals comes
        # last and holds no comma, so it starts after the last one.
        taught, _, goals = line.rpartition(", ")
        return f"{taught}, {goals.replace('your ', 'their ')}"
    return line


def _row(person: Participant, reason: Wording) -> dict[str, object]:
    """The run's unmatched entry: the reason as the person reads it on their own
    page, and as the people team (and their manager) read it."""
    return {
        "signup": person.signup_id,
        "person": person.name,
        "role": person.role,
        "team": person.team_name,
        "reason": reason(TO_THEM),
        "team_reason": reason(about(person.name)),
    }


def _join(words: list[str], last: str) -> str:
    words = [w for w in words if w]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def _number(n: int) -> str:
    return NUMBER_WORDS.get(n, str(n))


def _plural(n: int, word: str) -> str:
    return word if n == 1 else f"{word}s"


def _every(count: int, word: str) -> str:
    return f"the one {word}" if count == 1 else f"each of the {count} {word}s"


def _levels(gap: int) -> str:
    return "at least 1 level" if gap == 1 else f"at least {gap} levels"


def _cycles(window: int) -> str:
    return "cycle" if window == 1 else f"{window} cycles"
