# The six rules of the benchmark's OPA comparison, written in Rego for the peer engines
# (benchmarks/peer.py), to say what rules/*/ID.yaml say. Each reads the declaration as plain
# YAML data, so what the model and the engine add before a rule runs is written out here:
# - the model's defaults: a fact left out (same_production, new_performance, ...) is "unknown",
#   a list left out is empty, opportunity_to_bargain is false, a consent's signer is "self";
# - the facts src/ccai_policy/evaluate/facts.py derives: a use's `touches`, a consent's
#   `counts_for`, an amount's `paid` and `converted`;
# - how the engine runs a rule: an item is checked when `where` selects it and it falls inside
#   an effective window (a window with no date applies to every item; an unknown date never
#   takes an item out), and passes when no fact it needs is unknown and `assert` holds.
# Dates and timestamps arrive as RFC 3339 text (a date PyYAML read as a date is midnight UTC,
# as for CEL) or, quoted in the file, as YYYY-MM-DD. The as-of date of the check is data.as_of.
package ccai

import rego.v1

as_of := data.as_of

section(name) := value if {
	value := object.get(input, name, [])
	value != null
} else := []

people := section("people")

uses := section("uses")

consents := section("consents")

compensation := section("compensation")

notices := section("notices")

assets := section("assets")

production := input.production

people_by_id[p.id] := p if some p in people

uses_by_id[u.id] := u if some u in uses

consents_by_use[uid] contains c if {
	some c in consents
	some uid in c.uses
}

compensation_by_use[c.use] contains c if some c in compensation

notices_by_use[uid] contains n if {
	some n in notices
	some uid in object.get(n, "uses", [])
}

# A field's value, undefined when it is left out or null.
known(item, key) := value if {
	value := object.get(item, key, null)
	value != null
}

# A true/false/unknown fact: "unknown" when left out.
tri(item, key) := object.get(item, key, "unknown")

subjects(use) := object.get(use, "subjects", [])

# Who a use touches (facts.py): its subjects and the people it takes features from.
touches(use) := array.concat(subjects(use), object.get(use, "features_from", []))

# The date of a date or timestamp, as written (a timestamp's date in its own zone).
day(value) := substring(value, 0, 10)

# The instant of a date (midnight UTC) or a timestamp, in nanoseconds.
instant(value) := time.parse_rfc3339_ns(concat("", [value, "T00:00:00Z"])) if count(value) == 10

instant(value) := time.parse_rfc3339_ns(value) if count(value) > 10

# An effective window dated by the first use: in force when the date is unknown or on or
# after the window's start.
from_first_use(use, start) if not known(use, "first_used_on")

from_first_use(use, start) if instant(known(use, "first_used_on")) >= instant(start)

under(agreements) if {
	some a in object.get(production, "agreements", [])
	a in agreements
}

sag_tv := {"sag-aftra-tv-theatrical-2023", "sag-aftra-tv-theatrical-2026"}

# The SAG-AFTRA TV/Theatrical windows: 2023 AI terms from 2023-12-05, 2026 terms from 2026-07-01.
sag_tv_in_force(use) if {
	some start in ["2023-12-05", "2026-07-01"]
	from_first_use(use, start)
}

# What the peer reports of a rule: how many items it checked, and the ids of those that fail.
outcome(checked, failing) := {"applicable": count(checked), "failing": sort(failing)}

# Whether a consent counts for a use it lists (facts.py, consent_reasons and _group_coverage):
# given before the use and its scan, by the person in life or their representative after
# death, in term on the first use (or the as-of date), not revoked, not disputed; a group's
# consents only when together they cover every member.
signer(consent) := object.get(consent, "signer_role", "self")

died(consent) := day(known(people_by_id[consent.person], "deceased_on"))

# The reasons that do not depend on the use; `signed` is the day it was signed.
never_counts(consent, signed) if object.get(consent, "form", "written") == "disputed"

never_counts(consent, signed) if signed > as_of

never_counts(consent, signed) if {
	signer(consent) == "self"
	signed >= died(consent)
}

never_counts(consent, signed) if {
	signer(consent) == "union"
	not died(consent)
}

never_counts(consent, signed) if {
	signer(consent) == "authorized_representative"
	not died(consent)
}

never_counts(consent, signed) if {
	signer(consent) in {"authorized_representative", "union"}
	signed < died(consent)
}

never_counts(consent, signed) if {
	signer(consent) == "guardian"
	tri(people_by_id[consent.person], "minor") != true
}

never_counts(consent, signed) if {
	signer(consent) == "guardian"
	signed >= died(consent)
}

never_counts(consent, signed) if day(known(consent, "revoked_on")) <= as_of

# The reasons that do: signed after the first use or the scan, or its term ended before the
# first use (or, when that is unknown, before the as-of date).
not_for(consent, signed, use) if signed > day(known(use, "first_used_on"))

not_for(consent, signed, use) if signed > day(known(use, "scan").starts_at)

not_for(consent, signed, use) if day(known(consent, "term_ends")) < at_use(use)

at_use(use) := day(known(use, "first_used_on")) if known(use, "first_used_on")

at_use(use) := as_of if not known(use, "first_used_on")

# [consent index, use id] for each use a consent counts for on its own.
counts_alone contains [i, uid] if {
	some i, consent in consents
	signed := day(consent.signed_on)
	not never_counts(consent, signed)
	some uid in consent.uses
	use := uses_by_id[uid]
	not not_for(consent, signed, use)
}

# How many people of a group the consents that count for a use cover together (each consent
# once, however often it lists the use, as in facts.py).
covers(consent) := n if n := known(consent, "covers")

covers(consent) := 0 if not known(consent, "covers")

group_covered(person, uid) := sum([covers(c) |
	some i, c in consents
	c.person == person
	[i, uid] in counts_alone
])

short_of_group(consent, uid) if {
	size := known(people_by_id[consent.person], "group_size")
	group_covered(consent.person, uid) < size
}

# [consent index, use id] for each use a consent counts for: `use.id in consent.counts_for`.
counts_for contains [i, uid] if {
	some pair in counts_alone
	[i, uid] := pair
	not short_of_group(consents[i], uid)
}

consent_indexes_by_use[uid] contains i if {
	some i, consent in consents
	some uid in consent.uses
}

counting_consent(uid, person) if {
	some i in consent_indexes_by_use[uid]
	consents[i].person == person
	[i, uid] in counts_for
}

# CONSENT-REPLICA-001 (its one window has no date: every use)
replica_categories := {
	"employment_based_digital_replica", "independently_created_digital_replica",
	"background_actor_digital_replica", "voice_replica",
}

replica_applies(use) if use.category in replica_categories

replica_applies(use) if {
	not use.category in {
		"gai_literary_material", "training_on_production_material",
		"digital_alteration",
	}
	count(subjects(use)) > 0
}

replica_applies(use) if {
	use.category == "digital_alteration"
	tri(use, "new_performance") != false
	count(subjects(use)) > 0
}

# needs_information: whether an alteration is a new performance.
replica_unknown(use) if {
	use.category == "digital_alteration"
	tri(use, "new_performance") == "unknown"
}

replica_ok(use) if {
	not replica_unknown(use)
	count(subjects(use)) > 0
	every p in subjects(use) {
		counting_consent(use.id, p)
	}
}

replica_checked := [u | some u in uses; replica_applies(u)]

results["CONSENT-REPLICA-001"] := outcome(
	replica_checked,
	[u.id | some u in replica_checked; not replica_ok(u)],
)

# COMP-REPLICA-DAY-001 (params: day_rate_floor 0, floor_currency USD)
params := {"day_rate_floor": 0, "floor_currency": "USD"}

# Digits after the decimal point in a currency's smallest unit (ISO 4217); 2 otherwise.
minor_units := {
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
	"PYG": 0, "RWF": 0, "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}

currency(amount) := object.get(amount, "currency", "USD")

# Paid: not zero once rounded to the smallest unit, as Python's round() does. Half a unit is
# exact in binary for 0 digits (0.5 rounds to even, 0); for 2 and 3 digits the nearest binary
# value lies just above the half (0.005, 0.0005), so it rounds up.
paid(amount) if {
	object.get(minor_units, currency(amount), 2) == 0
	amount.value > 0.5
}

paid(amount) if {
	object.get(minor_units, currency(amount), 2) == 2
	amount.value >= 0.005
}

paid(amount) if {
	object.get(minor_units, currency(amount), 2) == 3
	amount.value >= 0.0005
}

# The amount in its own currency and, with an exchange rate, in the rate's currency.
converted(amount) := {currency(amount): amount.value} if not known(amount, "exchange_rate")

converted(amount) := {currency(amount): amount.value} if {
	known(amount, "exchange_rate").to == currency(amount)
}

converted(amount) := {currency(amount): amount.value, rate.to: amount.value * rate.rate} if {
	rate := known(amount, "exchange_rate")
	rate.to != currency(amount)
}

meets_floor(amount) if params.day_rate_floor == 0

meets_floor(amount) if converted(amount)[params.floor_currency] >= params.day_rate_floor

day_applies(use) if {
	use.category in {"employment_based_digital_replica", "voice_replica"}
	tri(use, "same_production") != false
	sag_tv_in_force(use)
}

paid_per_day(use, person) if {
	some c in compensation_by_use[use.id]
	c.person == person
	c.basis == "per_digital_performance_day"
	amount := known(c, "amount")
	paid(amount)
	meets_floor(amount)
}

day_ok(use) if {
	tri(use, "same_production") != "unknown" # needs_information
	every p in subjects(use) {
		paid_per_day(use, p)
	}
}

results["COMP-REPLICA-DAY-001"] := {"not_applicable": true} if not under(sag_tv)

day_checked := [u | some u in uses; day_applies(u)]

results["COMP-REPLICA-DAY-001"] := outcome(
	day_checked,
	[u.id | some u in day_checked; not day_ok(u)],
) if under(sag_tv)

# TRANSP-SYNTH-NOTICE-001
synth_applies(use) if {
	use.category == "synthetic_performer"
	sag_tv_in_force(use)
}

noticed_in_time(use, n) if not known(use, "first_used_on")

# Sent on or before the day of the first use, by the day its own offset names.
noticed_in_time(use, n) if day(n.sent_at) <= day(known(use, "first_used_on"))

synth_ok(use) if {
	some n in notices_by_use[use.id]
	day(n.sent_at) <= as_of
	n.to == "SAG-AFTRA"
	n.kind == "synthetic_performer_notice"
	object.get(n, "opportunity_to_bargain", false) == true
	noticed_in_time(use, n)
}

results["TRANSP-SYNTH-NOTICE-001"] := {"not_applicable": true} if not under(sag_tv)

synth_checked := [u | some u in uses; synth_applies(u)]

results["TRANSP-SYNTH-NOTICE-001"] := outcome(
	synth_checked,
	[u.id | some u in synth_checked; not synth_ok(u)],
) if under(sag_tv)

# TRANSP-C2PA-001
c2pa_applies(asset) if {
	some uid in asset.uses
	not uses_by_id[uid].category in {"gai_literary_material", "training_on_production_material"}
}

# A type that says nothing was generated is no type for an AI-made asset.
generates_nothing := {
	"digitalCapture", "computationalCapture", "screenCapture", "virtualRecording",
	"negativeFilm", "positiveFilm", "print", "humanEdits", "minorHumanEdits",
	"digitalCreation", "digitalArt", "compositeCapture",
}

c2pa_ok(asset) if {
	kind := known(known(asset, "content_credentials"), "digital_source_type")
	not kind in generates_nothing
}

c2pa_checked := [a | some a in assets; c2pa_applies(a)]

results["TRANSP-C2PA-001"] := outcome(
	c2pa_checked,
	[a.id | some a in c2pa_checked; not c2pa_ok(a)],
)

# CONSENT-TIMING-001: consents for a use that touches someone; a first use left unknown
# needs information.
timing_applies(consent) if {
	some uid in consent.uses
	count(touches(uses_by_id[uid])) > 0
}

# needs_information: when each use was first used.
first_use_unknown(consent) if {
	some uid in consent.uses
	not known(uses_by_id[uid], "first_used_on")
}

before_first_use(consent, use) if instant(consent.signed_on) <= instant(known(use, "first_used_on"))

before_first_use(consent, use) if not known(use, "first_used_on")

# Signed on or before the day of the scan, by the day its own offset names.
before_scan(consent, use) if day(consent.signed_on) <= day(known(use, "scan").starts_at)

before_scan(consent, use) if not known(use, "scan")

timing_ok(consent) if {
	not first_use_unknown(consent)
	every uid in consent.uses {
		before_first_use(consent, uses_by_id[uid])
		before_scan(consent, uses_by_id[uid])
	}
}

timing_checked := [c | some c in consents; timing_applies(c)]

results["CONSENT-TIMING-001"] := outcome(
	timing_checked,
	[c.id | some c in timing_checked; not timing_ok(c)],
)

# CONTROLS-SCOPE-001
scoped(consent) := object.get(object.get(consent, "scope", {}), "productions", [])

scope_checked := [c | some c in consents; count(scoped(c)) > 0]

results["CONTROLS-SCOPE-001"] := outcome(
	scope_checked,
	[c.id | some c in scope_checked; not production.id in scoped(c)],
)
