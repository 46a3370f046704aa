#!/usr/bin/env bash
# Publish a database to S3 and join it from there (README, "Publish and join a database on S3"):
# Ann keeps a product catalogue in a local database and publishes it to a bucket; Ben, who may only
# read the bucket, joins it against his own orders database in one query, with no server between;
# Cy downloads a copy to work offline. Each command is a hike process of its own, echoed before its
# output.
#   S3_ENDPOINT   an S3-compatible server (default http://127.0.0.1:9000, a local MinIO)
#   S3_ACCESS_KEY, S3_SECRET   its credentials (default minioadmin, MinIO's)
#   S3_BUCKET     the bucket (default hike-demo; created when missing)
#   S3_OPTIONS    more keys for the bucket's store, e.g. ":fencing :none" for a server without
#                 conditional writes (s3rver); see README's S3 section
set -euo pipefail
source "$(dirname "$0")/echoed-hike.sh"
endpoint=${S3_ENDPOINT:-http://127.0.0.1:9000}
[[ $endpoint =~ ^(https?)://([^:/]+):([0-9]+)/?$ ]] || { echo "S3_ENDPOINT must look like http://host:port" >&2; exit 2; }
protocol=${BASH_REMATCH[1]} host=${BASH_REMATCH[2]} port=${BASH_REMATCH[3]}
cd "$work"

# Ann's catalogue, on her disk.
cat > catalog.edn <<'EDN'
{:store {:backend :file :path "catalog"}
 :initial-tx [{:db/ident :product/sku :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
              {:db/ident :product/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
              {:db/ident :product/price :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]}
EDN
hike create-database catalog.edn
hike transact conn:catalog.edn '[{:product/sku "A-1" :product/name "Anvil" :product/price 120}
                                 {:product/sku "R-7" :product/name "Rope" :product/price 15}
                                 {:product/sku "T-3" :product/name "Tent" :product/price 240}]'

# Published: the same database as objects under catalog-2026/ in the bucket.
cat > published.edn <<EDN
{:store {:backend :s3 :id "catalog-2026" :bucket "${S3_BUCKET:-hike-demo}" :region "us-east-1"
         :access-key "${S3_ACCESS_KEY:-minioadmin}" :secret "${S3_SECRET:-minioadmin}"
         :endpoint-override {:protocol :$protocol :hostname "$host" :port $port} :path-style-access? true
         ${S3_OPTIONS:-}}}
EDN
hike sync catalog.edn published.edn
# A price change, published again: only the new commit's pack travels.
hike transact conn:catalog.edn '[{:product/sku "R-7" :product/price 18}]'
hike sync catalog.edn published.edn

# Ben's orders, on his disk; the catalogue is read straight from the bucket.
cat > orders.edn <<'EDN'
{:store {:backend :file :path "orders"}
 :initial-tx [{:db/ident :order/sku :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
              {:db/ident :order/qty :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]}
EDN
hike create-database orders.edn
hike transact conn:orders.edn '[{:order/sku "A-1" :order/qty 1} {:order/sku "R-7" :order/qty 4} {:order/sku "R-7" :order/qty 2}]'
hike --format table query '[:find ?name (sum ?cost) :with ?o :in $ $pub
                            :where [?o :order/sku ?sku] [?o :order/qty ?qty]
                                   [$pub ?p :product/sku ?sku] [$pub ?p :product/name ?name] [$pub ?p :product/price ?price]
                                   [(* ?qty ?price) ?cost]]' db:orders.edn db:published.edn

# Cy downloads the catalogue: one command, and a second run copies nothing.
cat > copy.edn <<'EDN'
{:store {:backend :file :path "catalog-copy"}}
EDN
hike sync published.edn copy.edn
hike sync published.edn copy.edn
hike query '[:find ?price . :where [?p :product/sku "R-7"] [?p :product/price ?price]]' db:copy.edn
hike query '[:find ?price . :where [?p :product/sku "R-7"] [?p :product/price ?price]]' asof:tx:536870914:copy.edn

hike delete-database published.edn
