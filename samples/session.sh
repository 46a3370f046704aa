#!/usr/bin/env bash
# Hike's main job from the command line: a dthk-style session on the embedded file store — create a
# database, transact, query, pull, travel in time, branch and merge, then delete it. Each command is
# a hike process of its own, as in a shell script; each is echoed before its output.
set -euo pipefail
source "$(dirname "$0")/echoed-hike.sh"
cd "$work"

cat > cfg.edn <<'EDN'
{:store {:backend :file :path "people"}
 :keep-history? true
 :initial-tx [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
              {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
              {:db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]}
EDN

hike create-database cfg.edn
hike transact conn:cfg.edn '[{:db/id "alice" :name "Alice" :age 30} {:name "Bob" :age 25 :friend ["alice"]}]'
hike query '[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]' db:cfg.edn
hike --format table query '[:find ?name ?friend :where [?p :name ?name] [?p :friend ?f] [?f :name ?friend]]' db:cfg.edn
hike pull db:cfg.edn '[:name {:friend [:name :age]}]' '[:name "Bob"]'
hike query '[:find ?e . :in $ ?n :where [?e :name ?n]]' db:cfg.edn '"Alice"'

# Time travel: Alice has a birthday; the transaction before it still sees 30, history sees both.
hike transact conn:cfg.edn '[{:name "Alice" :age 31}]'
hike query '[:find ?a . :where [?e :name "Alice"] [?e :age ?a]]' asof:tx:536870914:cfg.edn
hike query '[:find ?a ?added :where [?e :name "Alice"] [?e :age ?a _ ?added]]' history:cfg.edn

# A branch: draft a change, read it beside the main branch, merge it.
hike branch conn:cfg.edn :db :draft
sed 's/:keep-history? true/:keep-history? true :branch :draft/' cfg.edn > draft.edn
hike transact conn:draft.edn '[{:name "Carol" :age 41 :friend [[:name "Alice"]]}]'
hike query '[:find (count ?e) . :where [?e :name]]' branch:draft:cfg.edn
hike query '[:find (count ?e) . :where [?e :name]]' db:cfg.edn
hike merge-branch conn:cfg.edn :draft
hike --format json pull db:cfg.edn '[:name :age]' '[:name "Carol"]'

hike schema db:cfg.edn
hike delete-database cfg.edn
