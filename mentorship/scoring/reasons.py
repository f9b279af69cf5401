"""Words for the scored cycle: why a pair scores what it does, which rules a
pair breaks, and why someone was left unmatched. A mixin of CycleScoring, whose
arrays it reads."""

import numpy as np

from ..selectors.match_inputs import Participant
from .weights import UNRATED_GAP

# The candidate funnel, in order. A person with no eligible partner is told the
# first step that left nobody.
TEACHES, SENIOR, OUTSIDE_CHAIN, TEAM_OK, NOT_REPEATED, AVAILABLE = range(6)
STAGES = 6

ORDINALS = {1: "first", 2: "second", 3: "third"}
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


class Reasons:
    """Explanations, refusals and unmatched reasons (see CycleScoring)."""

    def refusals(self, mentor_id: int, mentee_id: int) -> list[str]:
        """Every hard rule the pair breaks, in words; empty if it may be paired."""
        j, i = self.mentor_index.get(mentor_id), self.mentee_index.get(mentee_id)
        if j is None or i is None:
            return ["One of the two sign-ups was withdrawn or is not part of this cycle."]
        mentor, mentee = self.mentors[j], self.mentees[i]
        block = self.block(np.array([i]), np.array([j]))
        found = []
        if self.mentee_blocked[i]:
            found.append(f"{mentee.name}: {self.mentee_blocked[i]}")
        if self.mentor_blocked[j]:
            found.append(f"{mentor.name}: {self.mentor_blocked[j]}")
        if self.mentee_ok[i] and self.mentor_ok[j] and not block.senior[0, 0]:
            found.append(
                f"{mentor.name} ({mentor.level_code}) is not {_levels(self.cycle.min_level_gap)} "
                f"above {mentee.name} ({mentee.level_code})."
            )
        if not block.outside_chain[0, 0]:
            found.append(f"{mentor.name} is in {mentee.name}'s manager chain.")
        if not block.team_ok[0, 0]:
            found.append(
                f"Both are on {mentee.team_name}, and this cycle pairs people across teams."
            )
        if (mentor_id, mentee_id) in self.inputs.excluded:
            found.append("The people team removed this pair earlier in this cycle's review.")
        elif not block.not_repeated[0, 0]:
            found.append(f"They were paired within the last {_cycles(self.cycle.repeat_window)}.")
        return found

    def explain(self, mentor_id: int, mentee_id: int) -> list[str]:
        """Why this pair scores what it does, in sentences, from the mentee's side."""
        j, i = self.mentor_index[mentor_id], self.mentee_index[mentee_id]
        mentor, mentee = self.mentors[j], self.mentees[i]
        lines = [self._goal_sentence(i, j)]
        rank = self.rank_of.get((i, j))
        if rank in ORDINALS:
            lines.append(f"Your {ORDINALS[rank]} choice")
        elif rank is not None:
            lines.append(f"Your choice number {rank}")
        if mentee.team_id is not None and mentor.team_id is not None:
            if mentee.team_id != mentor.team_id:
                lines.append(f"Crosses teams: {mentee.team_name} → {mentor.team_name}")
            else:
                lines.append(f"Same team: {mentee.team_name}")
        lines.append(self._overlap_sentence(mentee.timezone, mentor.timezone))
        return lines

    def _goal_sentence(self, i: int, j: int) -> str:
        mentee = self.mentees[i]
        if not mentee.competencies:
            return "You named no learning goals, so this pair rests on what follows"
        goals = self._goals_by_gap(i)
        covered = [c for c in goals if self.teach[j, self.code_number[c]] > 0]
        if not covered:
            return "Teaches none of your learning goals"
        names = _join([self.inputs.competency_names.get(c, c) for c in covered], "and")
        return f"Teaches {names}, {self._which_goals(i, goals, covered)}"

    def _which_goals(self, i: int, goals: list[str], covered: list[str]) -> str:
        """'your two biggest gaps' when the assessment says so, else how many goals."""
        k, n = len(covered), len(goals)
        rated = self.inputs.gaps.get(self.mentees[i].person_id, {})
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
        mentee = self.mentees[i]
        weight = {c: self.goal_weight[i, self.code_number[c]] for c in mentee.competencies}
        order = {c: k for k, c in enumerate(mentee.competencies)}
        return sorted(mentee.competencies, key=lambda c: (-weight[c], order[c]))

    def _overlap_sentence(self, mine: str, theirs: str) -> str:
        hours = float(self.overlap[self.zone_number[mine], self.zone_number[theirs]])
        where = f"both {mine}" if mine == theirs else f"{mine} / {theirs}"
        if hours <= 0:
            return f"No working hours overlap ({where})"
        unit = "working hour overlaps" if hours == 1 else "working hours overlap"
        return f"{hours:g} {unit} ({where})"

    # --- who is left out, and why --------------------------------------------------

    def unmatched(self, pairs: dict[int, int]) -> list[dict]:
        """A reason for everyone the assignment (mentee -> mentor sign-up ids) left out:
        mentees without a mentor and mentors without a mentee."""
        matched_mentee = np.zeros(len(self.mentees), dtype=bool)
        load = np.zeros(len(self.mentors), dtype=np.int64)
        team_matched: dict[int, int] = {}
        for mentee_id, mentor_id in pairs.items():
            i = self.mentee_index[mentee_id]
            matched_mentee[i] = True
            load[self.mentor_index[mentor_id]] += 1
            team = self.mentees[i].team_id
            if team is not None:
                team_matched[team] = team_matched.get(team, 0) + 1
        capacity = np.array([p.capacity for p in self.mentors], dtype=np.int64)
        full = load >= capacity
        edges_left = np.bincount(
            self.edge_i, weights=~full[self.edge_j], minlength=len(self.mentees)
        )
        rows = []
        for i, mentee in enumerate(self.mentees):
            if not matched_mentee[i]:
                reason = self._mentee_reason(i, edges_left[i] > 0, team_matched)
                rows.append(_row(mentee, reason))
        has_mentee = load > 0
        for j, mentor in enumerate(self.mentors):
            if not has_mentee[j]:
                rows.append(_row(mentor, self._mentor_reason(j)))
        return rows

    def _mentee_reason(self, i: int, room_left: bool, team_matched: dict[int, int]) -> str:
        mentee = self.mentees[i]
        if self.mentee_blocked[i]:
            return self.mentee_blocked[i]
        funnel = self.mentee_funnel[i]
        if funnel[AVAILABLE] == 0:
            return self._mentee_funnel_reason(i, funnel)
        cap = self.cycle.max_mentees_per_team
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
                return "Your one eligible mentor is full."
            return f"All {count} eligible mentors are full."
        return "Not matched: the best assignment for everyone left no mentor for you."

    def _mentee_funnel_reason(self, i: int, funnel) -> str:
        mentee, cycle = self.mentees[i], self.cycle
        teach = ""
        if mentee.competencies:
            teach = " who teaches " + _join(self._goal_names(i), "or")
        if funnel[TEACHES] == 0:
            goals = _join(self._goal_names(i), "or")
            return f"No mentor teaches {goals} this cycle."
        if funnel[SENIOR] == 0:
            return (
                f"No mentor{teach} is {_levels(cycle.min_level_gap)} above you "
                f"(you are at {mentee.level_code})."
            )
        if funnel[OUTSIDE_CHAIN] == 0:
            return f"Every mentor senior enough{teach} is in your manager chain."
        if funnel[TEAM_OK] == 0:
            return (
                f"Every mentor senior enough{teach} outside your manager chain is on your "
                f"team ({mentee.team_name}), and this cycle pairs people across teams."
            )
        if funnel[NOT_REPEATED] == 0:
            count = int(funnel[TEAM_OK])
            if any(mentee_id == mentee.signup_id for _, mentee_id in self.inputs.excluded):
                return (
                    f"The people team removed your pair with {_every(count, 'mentor')} who "
                    f"fits you, or you were paired within the last {_cycles(cycle.repeat_window)}."
                )
            return (
                f"You were paired with {_every(count, 'mentor')} who fits you within the "
                f"last {_cycles(cycle.repeat_window)}."
            )
        count = int(funnel[NOT_REPEATED])
        return (
            f"{_every(count, 'mentor').capitalize()} who fits you is at their concurrent-"
            "commitment limit or offered no capacity."
        )

    def _mentor_reason(self, j: int) -> str:
        mentor, cycle = self.mentors[j], self.cycle
        if self.mentor_blocked[j]:
            return self.mentor_blocked[j]
        funnel = self.mentor_funnel[j]
        taught = [self.inputs.competency_names.get(c, c) for c in mentor.competencies]
        learn = " who wants to learn " + _join(taught, "or") if taught else ""
        if funnel[TEACHES] == 0:
            if not taught:
                return "You named nothing to teach, and no mentee ranked you."
            return f"No mentee wants to learn {_join(taught, 'or')} this cycle."
        if funnel[SENIOR] == 0:
            return (
                f"No mentee{learn} is {_levels(cycle.min_level_gap)} below you "
                f"(you are at {mentor.level_code})."
            )
        if funnel[OUTSIDE_CHAIN] == 0:
            return f"Every mentee far enough below you{learn} is in your reporting line."
        if funnel[TEAM_OK] == 0:
            return (
                f"Every mentee far enough below you{learn} outside your reporting line is on "
                f"your team ({mentor.team_name}), and this cycle pairs people across teams."
            )
        if funnel[NOT_REPEATED] == 0:
            count = int(funnel[TEAM_OK])
            if any(mentor_id == mentor.signup_id for mentor_id, _ in self.inputs.excluded):
                return (
                    f"The people team removed your pair with {_every(count, 'mentee')} who "
                    f"fits you, or you were paired within the last {_cycles(cycle.repeat_window)}."
                )
            return (
                f"You were paired with {_every(count, 'mentee')} who fits you within the "
                f"last {_cycles(cycle.repeat_window)}."
            )
        count = int(funnel[NOT_REPEATED])
        return (
            f"{_every(count, 'mentee').capitalize()} you could mentor was matched with a "
            "mentor who fits them better, or their team had reached its cap."
        )

    def _goal_names(self, i: int) -> list[str]:
        return [self.inputs.competency_names.get(c, c) for c in self._goals_by_gap(i)]


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


def _row(person: Participant, reason: str) -> dict:
    return {
        "signup": person.signup_id,
        "person": person.name,
        "role": person.role,
        "team": person.team_name,
        "reason": reason,
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
