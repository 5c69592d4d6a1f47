"""The dashboard's reads, one module per question. Every function takes `(filters, scope)`
(the scope's filters win: a manager's department is forced in) and returns frozen dataclasses
of plain ints, `Fraction` rates (None when there is nothing to divide by, or when the
denominator is too small to show) and durations in whole seconds: never floats. They read the
rollups (`analytics.models`), the small tables beside them (users, jobs, departments, payouts,
redemptions, challenges) and never scan the referral history or the points ledger."""
