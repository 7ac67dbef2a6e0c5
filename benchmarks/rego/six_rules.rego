# The six rules of the benchmark's OPA comparison, written in Rego for the peer engines
# (benchmarks/peer.py). Each reads the declaration as plain YAML data, so defaults the model
# fills in (same_production: true, opportunity_to_bargain: false, ...) are written out here.
# Dates and timestamps arrive as RFC 3339 text; a date is midnight UTC, as for CEL.
package ccai

import rego.v1

uses := object.get(input, "uses", [])

consents := object.get(input, "consents", [])

compensation := object.get(input, "compensation", [])

notices := object.get(input, "notices", [])

assets := object.get(input, "assets", [])

sag if {
	some a in object.get(input.production, "agreements", [])
	startswith(a, "sag-aftra-tv-theatrical")
}

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

subjects(use) := object.get(use, "subjects", [])

ns(value) := time.parse_rfc3339_ns(value)

outcome(applicable, failing) := {"applicable": count(applicable), "failing": sort(failing)}

# CONSENT-REPLICA-001
replica_categories := {
	"employment_based_digital_replica", "independently_created_digital_replica",
	"background_actor_digital_replica", "voice_replica",
}

replica_applies(use) if use.category in replica_categories

replica_applies(use) if {
	use.category == "real_time_generation"
	count(subjects(use)) > 0
}

consented(use, p) if {
	some c in consents_by_use[use.id]
	c.person == p
	object.get(c, "revoked_on", null) == null
}

replica_ok(use) if {
	count(subjects(use)) > 0
	every p in subjects(use) {
		consented(use, p)
	}
}

results["CONSENT-REPLICA-001"] := outcome(
	[u.id | some u in uses; replica_applies(u)],
	[u.id | some u in uses; replica_applies(u); not replica_ok(u)],
)

# COMP-REPLICA-DAY-001 (params.day_rate_floor: 0)
day_applies(use) if {
	use.category in {"employment_based_digital_replica", "voice_replica"}
	object.get(use, "same_production", true) == true
}

paid_day(use, p) if {
	some c in compensation_by_use[use.id]
	c.person == p
	c.basis == "per_digital_performance_day"
	amount := object.get(c, "amount", null)
	amount != null
	amount.value > 0
	amount.value >= 0
}

day_ok(use) if {
	every p in subjects(use) {
		paid_day(use, p)
	}
}

results["COMP-REPLICA-DAY-001"] := {"not_applicable": true} if not sag

results["COMP-REPLICA-DAY-001"] := outcome(
	[u.id | some u in uses; day_applies(u)],
	[u.id | some u in uses; day_applies(u); not day_ok(u)],
) if sag

# TRANSP-SYNTH-NOTICE-001
noticed_in_time(use, n) if object.get(use, "first_used_on", null) == null

noticed_in_time(use, n) if {
	first := object.get(use, "first_used_on", null)
	first != null
	ns(n.sent_at) < ns(first) + ((24 * 60) * 60) * 1000000000
}

synth_ok(use) if {
	some n in notices_by_use[use.id]
	n.to == "SAG-AFTRA"
	n.kind == "synthetic_performer_notice"
	object.get(n, "opportunity_to_bargain", false) == true
	noticed_in_time(use, n)
}

results["TRANSP-SYNTH-NOTICE-001"] := {"not_applicable": true} if not sag

results["TRANSP-SYNTH-NOTICE-001"] := outcome(
	[u.id | some u in uses; u.category == "synthetic_performer"],
	[u.id | some u in uses; u.category == "synthetic_performer"; not synth_ok(u)],
) if sag

# TRANSP-C2PA-001
c2pa_applies(asset) if {
	some uid in object.get(asset, "uses", [])
	not uses_by_id[uid].category in {"gai_literary_material", "training_on_production_material"}
}

c2pa_ok(asset) if {
	credentials := object.get(asset, "content_credentials", null)
	credentials != null
	object.get(credentials, "digital_source_type", null) != null
}

results["TRANSP-C2PA-001"] := outcome(
	[a.id | some a in assets; c2pa_applies(a)],
	[a.id | some a in assets; c2pa_applies(a); not c2pa_ok(a)],
)

# CONSENT-TIMING-001
before_first_use(consent, use) if object.get(use, "first_used_on", null) == null

before_first_use(consent, use) if {
	first := object.get(use, "first_used_on", null)
	first != null
	ns(consent.signed_on) <= ns(first)
}

before_scan(consent, use) if object.get(use, "scan", null) == null

before_scan(consent, use) if {
	scan := object.get(use, "scan", null)
	scan != null
	ns(consent.signed_on) <= ns(scan.starts_at)
}

signed_in_time(consent, uid) if {
	before_first_use(consent, uses_by_id[uid])
	before_scan(consent, uses_by_id[uid])
}

timing_ok(consent) if {
	every uid in consent.uses {
		signed_in_time(consent, uid)
	}
}

results["CONSENT-TIMING-001"] := outcome(
	[c.id | some c in consents],
	[c.id | some c in consents; not timing_ok(c)],
)

# CONTROLS-SCOPE-001
scoped(consent) := object.get(object.get(consent, "scope", {}), "productions", [])

results["CONTROLS-SCOPE-001"] := outcome(
	[c.id | some c in consents; count(scoped(c)) > 0],
	[c.id | some c in consents; count(scoped(c)) > 0; not input.production.id in scoped(c)],
)
