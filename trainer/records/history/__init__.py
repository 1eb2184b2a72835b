"""The session history, by job.

- :mod:`~trainer.records.history.record`: one session as a record (:class:`HistoryEntry`), built
from a
  finished session, with its check-in.
- :mod:`~trainer.records.history.log`: the file, ``$XDG_DATA_HOME/trainer/history.jsonl``, appended
to
  and read.
- :mod:`~trainer.records.history.stats`: pure summaries (streak, calendar, pain trend, totals).
- :mod:`~trainer.records.history.export`: the text of ``trainer history`` and the CSV.

The names below are the package's public face; import them from ``trainer.records.history``.
"""

from trainer.records.history.export import (
    CSV_COLUMNS,
    CSV_MORE_COLUMNS,
    RECENT,
    csv_header,
    pain_chart,
    summary_text,
    write_csv,
)
from trainer.records.history.log import (
    HISTORY_FILENAME,
    PENDING_FILENAME,
    HistoryReader,
    HistorySummary,
    Record,
    append_entry,
    flush_pending,
    history_path,
    pending_path,
    read_entries,
    read_history,
    shared_reader,
)
from trainer.records.history.record import (
    CHECKIN_MAX,
    CHECKIN_MIN,
    CHECKIN_QUESTION,
    HISTORY_VERSION,
    DoseChange,
    ExerciseLog,
    HistoryEntry,
    HurtAt,
    MorningCheck,
    Outcome,
    Score,
    amount_done,
    entry_from_session,
    entry_from_snapshot,
    is_counted,
    local_day,
    outcome_of,
    parse_checkin,
    set_checkin,
)
from trainer.records.history.stats import (
    DayCell,
    ExerciseTotal,
    calendar,
    done_share,
    in_order,
    last_done,
    pain_trend,
    sessions_this_week,
    share_done,
    streak,
    totals,
    week_start,
    within_days,
)

__all__ = [
    "CHECKIN_MAX",
    "CHECKIN_MIN",
    "CHECKIN_QUESTION",
    "CSV_COLUMNS",
    "CSV_MORE_COLUMNS",
    "HISTORY_FILENAME",
    "HISTORY_VERSION",
    "PENDING_FILENAME",
    "RECENT",
    "DayCell",
    "DoseChange",
    "ExerciseLog",
    "ExerciseTotal",
    "HistoryEntry",
    "HistoryReader",
    "HistorySummary",
    "HurtAt",
    "MorningCheck",
    "Outcome",
    "Record",
    "Score",
    "amount_done",
    "append_entry",
    "calendar",
    "csv_header",
    "done_share",
    "entry_from_session",
    "entry_from_snapshot",
    "flush_pending",
    "history_path",
    "in_order",
    "is_counted",
    "last_done",
    "local_day",
    "outcome_of",
    "pain_chart",
    "pain_trend",
    "parse_checkin",
    "pending_path",
    "read_entries",
    "read_history",
    "sessions_this_week",
    "set_checkin",
    "share_done",
    "shared_reader",
    "streak",
    "summary_text",
    "totals",
    "week_start",
    "within_days",
    "write_csv",
]
