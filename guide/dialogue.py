"""The dialogue: ``Dialogue.handle(view, incoming) -> Outcome``, a pure function of its inputs."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from domain.case import CaseState, UserView
from domain.issues import ISSUE_LABELS, KIND_FACT
from domain.labels import FACT_LABELS
from domain.limits import MAX_MESSAGE_LENGTH
from domain.messages import Button, Incoming
from domain.outcome import DeleteUser, Outcome, RecordClassification, ScheduleReminder
from guide import (
    buttons,
    callbacks,
    commands,
    evidence,
    fact_records,
    filing_text,
    filings,
    followup,
    fresh,
    keyboard,
    language,
    lifecycle,
    longtext,
    navigation,
    overwrite,
    prompt,
    proposals,
    questions,
    scratch,
    screenshot_facts,
    solved,
)
from guide.content import GuideContent
from guide.facts import extract_facts, parse_fact
from guide.render import nav_button, type_buttons
from guide.scam import is_scam_text
from guide.tracking import Tracking, load_tracking
from guide.turn import Turn, msg
from intents.match import IntentMatch

Classify = Callable[[str], IntentMatch]
MAX_CLASSIFY = 2000
#: At a fact question, a text this long (in characters) that names an issue type is a new problem.
NEW_PROBLEM = 6
_MEANINGFUL = re.compile(r"[0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]")


def reads_timeline(incoming: Incoming) -> bool:
    """Whether answering ``incoming`` reads :attr:`UserView.timeline` (only the case export does).

    Storage loads the timeline only then, so an update that does not need it skips a query and
    up to :data:`storage.views.TIMELINE_LIMIT` rows.
    """
    if incoming.kind == "command":
        return incoming.command == "export"
    if incoming.kind == "button" and filings.owns(incoming.data):
        return incoming.data.startswith("fl|p|")  # the printable export
    if incoming.kind == "button":
        cb = callbacks.parse(incoming.data)
        # Step buttons (s|case|pos|action) and navigation buttons (n|case|action) end with the action.
        return cb is not None and cb.op in ("s", "n") and cb.args[-1].partition(":")[0] == "export"
    return False


class Dialogue:
    """Decides what to answer and what to store for each thing a person does."""

    def __init__(
        self,
        content: GuideContent,
        classify: Classify,
        *,
        follow_up_delay: timedelta = timedelta(days=3),
        tracking: Tracking | None = None,
        filing_clock_override: timedelta | None = None,
    ) -> None:
        self.content = content
        self.classify = classify
        self.follow_up_delay = follow_up_delay
        self.tracking = tracking if tracking is not None else load_tracking()
        if filing_clock_override is not None:
            self.tracking = replace(self.tracking, clock_override=filing_clock_override)

    def handle(self, view: UserView, incoming: Incoming) -> Outcome:
        """The replies and effects for ``incoming``, given what is known about the person."""
        turn = Turn(self.content, view, incoming, self.tracking)
        fresh.tidy_before(turn, incoming)
        if incoming.kind == "text":
            self._text(turn, incoming.text)
        elif incoming.kind == "command" and filings.owns_command(incoming.command, incoming.args):
            filings.command(turn, self.tracking, incoming.command)
        elif incoming.kind == "command":
            commands.run(turn, incoming.command, self.follow_up_delay)
            filings.after_command(turn, self.tracking, incoming.command)
        elif incoming.kind == "button":
            self._press(turn, incoming.data)
        elif incoming.kind in ("photo", "document"):
            evidence.receive(turn)
        elif incoming.kind == "reminder" and filings.owns_reminder(turn):
            filings.remind(turn, self.tracking)
        elif incoming.kind == "reminder":
            evidence.follow_up_due(turn)
        elif incoming.kind == "reading":
            screenshot_facts.receive(turn)
        else:
            navigation.show_current_or_types(turn, msg(turn, "unsupported"))
        proposals.tidy(turn)  # a closed case's proposals leave the scratch values
        if not any(isinstance(e, DeleteUser) for e in turn.effects):
            overwrite.tidy(turn)
        keyboard.remember(turn)
        return turn.outcome()

    def _press(self, turn: Turn, data: str) -> None:
        """A button press (or its typed label) with callback ``data``."""
        if filings.owns(data):
            filings.press(turn, self.tracking, data)
        elif proposals.owns(data):
            proposals.press(turn, data)
        else:
            buttons.press(turn, data, self.follow_up_delay)

    def _typed(self, turn: Turn, data: str) -> None:
        """A typed button label: the press, except the export, which needs the timeline loaded."""
        if reads_timeline(Incoming(kind="button", at=turn.at, data=data)):
            turn.say(turn.content.talk.message("typed_export"), [[Button("📄 导出案件摘要", data)]])
            return
        self._press(turn, data)

    # --- free text -----------------------------------------------------------------------

    def _text(self, turn: Turn, text: str) -> None:
        """Answer a free-text message (a long one also gets an ack and its questions answered)."""
        self._text_body(turn, text)
        if longtext.is_long(text) and not is_scam_text(text[:MAX_MESSAGE_LENGTH], self.content.scam_keywords):
            longtext.acknowledge(turn, longtext.questions_in(turn, text))

    def _text_body(self, turn: Turn, text: str) -> None:
        """Answer a free-text message."""
        if is_scam_text(text[:MAX_MESSAGE_LENGTH], self.content.scam_keywords):
            self._scam(turn)
            return
        if not _MEANINGFUL.search(text):
            if language.is_foreign(text):  # Cyrillic, Thai...: letters, just not ours
                language.note(turn)
            else:
                navigation.show_current_or_types(turn, msg(turn, "empty_text"))
            return
        case = turn.open_current
        asked = self.content.question_book.asked(text)
        if case is not None and case.awaiting in FACT_LABELS and not asked:
            self._at_question(turn, case, text)
            return
        data = None if asked else keyboard.typed_press(turn, text, numbers=True)
        if data is not None:
            self._typed(turn, data)
            return
        if asked:
            questions.answer(turn, asked)
            return
        if fresh.wanted(turn):
            self._new_problem(turn, text)
            return
        if solved.is_solved(turn, text):
            solved.offer_close(turn)
            return
        if (closed := solved.about_closed_case(turn, text)) is not None:
            solved.offer_reopen(turn, closed)
            return
        if filing_text.take_text(turn, self.tracking, text[:MAX_CLASSIFY]):
            return
        match = self.classify(text[:MAX_CLASSIFY])
        facts = extract_facts(text, turn.at)
        if match.needs_clarification and match.candidates and (case is None or case.issue_type is None):
            self._clarify(turn, match, facts, text)
        elif match.is_issue:
            turn.emit(RecordClassification(intent=match.intent))
            self._issue(turn, match.intent, facts, text)
        else:
            unknown = match.tokens if match.intent == "other" else ()
            turn.emit(RecordClassification(intent=match.intent, unknown_tokens=tuple(unknown)))
            if (
                match.intent == "other"
                and not facts
                and language.is_foreign(text)
                and not self._shortcut(turn, text)
            ):
                language.note(turn)
            else:
                self._not_issue(turn, match.intent, facts)

    def _new_problem(self, turn: Turn, text: str) -> None:
        """The first message after ``/new``: a new case with its facts, never the old case."""
        match = self.classify(text[:MAX_CLASSIFY])
        facts = extract_facts(text, turn.at)
        if match.needs_clarification and match.candidates:
            fresh.drop_flag(turn)
            self._clarify(turn, match, facts, text, callbacks.FRESH)
        elif match.is_issue:
            turn.emit(RecordClassification(intent=match.intent))
            fresh.drop_flag(turn)
            lifecycle.begin_case(turn, match.intent, self._new_facts({}, facts, " ".join(text.split())[:300]))
            self._maybe_contacted(turn, facts)
        else:  # no type yet: the facts wait for the type button, the flag for a description
            unknown = match.tokens if match.intent == "other" else ()
            turn.emit(RecordClassification(intent=match.intent, unknown_tokens=tuple(unknown)))
            if facts:
                fresh.stash(turn, facts)
            key = "greeting" if match.intent == "greeting" else "other"
            turn.say(msg(turn, key), type_buttons(callbacks.FRESH))

    def _scam(self, turn: Turn) -> None:
        """Warn about a likely scam, then go back to where the person was.

        The message is neither classified nor mined for facts: an amount a fraudster asked for
        is not a fact of the case, and a warning never opens a case.
        """
        turn.say(msg(turn, "scam_warning"))
        case = turn.open_current
        if case is not None and case.awaiting in FACT_LABELS:
            turn.say(self.content.prompts[case.awaiting])
            return
        navigation.show_current_or_types(turn, "")

    def _at_question(self, turn: Turn, case: CaseState, text: str) -> None:
        """Text while a fact question waits: the answer, a new problem, a skip, a button, or a miss."""
        skip = prompt.is_skip(turn, text)  # before parsing: free-text facts would take "不知道"
        value = None if skip else parse_fact(case.awaiting, text, turn.at)
        if value is not None:
            self._answer(turn, case, value)
            return
        match = self.classify(text[:MAX_CLASSIFY])
        if match.is_issue and not match.needs_clarification and len(keyboard.normalized(text)) >= NEW_PROBLEM:
            turn.emit(RecordClassification(intent=match.intent))
            prompt.leave(turn, case)
            self._issue(turn, match.intent, extract_facts(text, turn.at), text)
        elif skip:
            prompt.skip(turn, case)
        elif (data := keyboard.typed_press(turn, text, numbers=False)) is not None:
            self._typed(turn, data)
        else:
            prompt.miss(turn, case)

    def _answer(self, turn: Turn, case: CaseState, value: str) -> None:
        """Take the answer to the fact the bot asked for."""
        name = case.awaiting
        case, changed = fact_records.record_facts(turn, case, {name: value})
        case = prompt.leave(turn, case)
        if name == "cs_contacted":
            self._maybe_contacted(turn, {name: value})
        shown = changed or {name: value}
        rows = [
            [nav_button(case, "▶️ 继续当前步骤", "resume"), nav_button(case, "📝 其他信息", "facts")],
            [nav_button(case, "✍️ 生成草稿", "draft")],
        ]
        text_out = fact_records.saved_line(turn, shown) + "\n" + msg(turn, "facts_next")
        turn.say(text_out, rows)

    def _clarify(
        self, turn: Turn, match: IntentMatch, facts: dict[str, str], text: str, target: str = ""
    ) -> None:
        """Ask which issue type the person means (``target``: the case, NEW or FRESH)."""
        stash = {**facts}
        stash.setdefault("description", " ".join(text.split())[:300])
        pending = {k: v for k, v in turn.pending.items() if not k.startswith(scratch.PENDING_FACT)}
        pending.update({scratch.PENDING_FACT + k: v for k, v in stash.items()})
        pending["clarify"] = ",".join(c for c in match.candidates if c in ISSUE_LABELS)
        pending["clarify_intent"] = match.intent
        scratch.set_pending(turn, pending)
        case = turn.open_current
        target = target or (case.id if case is not None else callbacks.NEW)
        turn.say(msg(turn, "clarify"), type_buttons(target, "c", match.candidates))

    def _issue(self, turn: Turn, issue_type: str, facts: dict[str, str], text: str) -> None:
        """A message naming an issue type: open or type a case, or offer to switch."""
        case = turn.open_current
        description = " ".join(text.split())[:300]
        if case is None:
            lifecycle.begin_case(turn, issue_type, self._new_facts({}, facts, description))
            self._maybe_contacted(turn, facts)
            return
        if case.issue_type is None:
            lifecycle.set_type(turn, case, issue_type, self._new_facts(case.facts, facts, description))
            self._maybe_contacted(turn, facts)
            return
        if issue_type != case.issue_type:
            # Another problem: its facts wait for the person's choice instead of going into this case.
            self._maybe_contacted(turn, facts)
            fresh.stash(turn, self._new_facts({}, facts, description))
            self._switch_offer(turn, case, issue_type)
            return
        case, changed, conflicts = overwrite.record(
            turn, case, self._new_facts(case.facts, facts, description)
        )
        if changed and KIND_FACT not in changed:
            navigation.show_brief(turn, case, fact_records.saved_line(turn, changed))
        else:  # nothing new, or the 权益受损 kind just became clear: the step written for it
            navigation.show_step(turn, case, fact_records.saved_line(turn, changed) if changed else "收到 👌")
        overwrite.ask(turn, case, conflicts)
        self._maybe_contacted(turn, facts)  # after what was recorded: the reminder is news

    def _switch_offer(self, turn: Turn, case: CaseState, issue_type: str) -> None:
        """Ask whether a message of another type retypes ``case`` or opens a new case."""
        text_out = msg(turn, "switch_offer", new=ISSUE_LABELS[issue_type], old=lifecycle.case_label(case))
        rows = [
            [buttons.button(f"把当前案件改为「{ISSUE_LABELS[issue_type]}」", "y", case.id, issue_type)],
            [buttons.button(f"新建「{ISSUE_LABELS[issue_type]}」案件", "t", callbacks.FRESH, issue_type)],
            [nav_button(case, "继续当前案件", "resume")],
        ]
        turn.say(text_out, rows)

    @staticmethod
    def _new_facts(current: dict[str, str], facts: dict[str, str], description: str) -> dict[str, str]:
        """Facts to store from a message: extracted ones, and the text as description if none yet."""
        if current.get("description") or not description:
            return facts
        return {"description": description, **facts}

    def _not_issue(self, turn: Turn, intent: str, facts: dict[str, str]) -> None:
        """A greeting or an unmatched message."""
        case = turn.open_current
        if case is not None and facts:
            case, changed, conflicts = overwrite.record(turn, case, facts)
            if changed and case.issue_type is not None:
                navigation.show_brief(turn, case, fact_records.saved_line(turn, changed))
            else:
                navigation.show_current_or_types(
                    turn, fact_records.saved_line(turn, changed) if changed else "收到 👌"
                )
            overwrite.ask(turn, case, conflicts)
            self._maybe_contacted(turn, facts)
            return
        if case is None and facts:
            pending = dict(turn.pending)
            pending.update({scratch.PENDING_FACT + k: v for k, v in facts.items()})
            scratch.set_pending(turn, pending)
        if intent == "greeting":
            if case is not None and case.issue_type is not None:
                navigation.show_step(turn, case, msg(turn, "greeting").split("。")[0] + "。我们继续 👇")
            else:
                target = case.id if case is not None else callbacks.NEW
                turn.say(msg(turn, "greeting"), type_buttons(target))
            return
        if case is not None and case.issue_type is not None:
            self._in_case(turn, case, turn.incoming.text)
            return
        target = case.id if case is not None else callbacks.NEW
        turn.say(msg(turn, "other"), type_buttons(target))

    def _shortcut(self, turn: Turn, text: str) -> bool:
        """True when ``text`` is a shortcut word while a case is open (``ok``, ``next``)."""
        return turn.open_current is not None and self.content.shortcut(text[:200]) is not None

    def _in_case(self, turn: Turn, case: CaseState, text: str) -> None:
        """An unmatched message during a case: a shortcut, or the current step again."""
        shortcut = self.content.shortcut(text[:200])
        if shortcut == "next":
            navigation.step_forward(turn, case)
        elif shortcut == "ack":
            navigation.show_step(turn, case, "收到 👌")
        elif shortcut is not None and shortcut != case.stage and (stage := self.content.stage(shortcut)):
            rows = [
                [buttons.button(f"去「{stage.title}」", "m", case.id, stage.id)],
                [nav_button(case, "继续当前步骤", "resume")],
            ]
            turn.say(f"要进入「{stage.title}」吗？（{stage.summary}）", rows)
        else:
            navigation.show_step(turn, case, msg(turn, "other_in_case"))

    def _maybe_contacted(self, turn: Turn, facts: dict[str, str]) -> None:
        """Schedule the follow-up when the text says customer service was contacted."""
        case = turn.open_current
        if case is None or facts.get("cs_contacted") != "是":
            return
        if any(r.case_id == case.id for r in turn.view.reminders):
            return
        if any(isinstance(e, ScheduleReminder) for e in turn.effects):
            return
        if longtext.is_long(turn.incoming.text):  # a story mentioning customer service: ask first
            longtext.offer_reminder(turn, case, self.follow_up_delay)
            return
        followup.schedule(turn, case, self.follow_up_delay)
        delay = followup.delay_text(self.follow_up_delay)
        turn.say(msg(turn, "reminder_set", delay=delay), followup.reminder_buttons(case))
