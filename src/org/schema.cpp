// The org tables. Org codes are unique and hierarchical, so a subtree is the code range
// [prefix, prefix + ':'), which an index on code serves on both databases.
#include "org/org.h"

namespace wangge::org {

const std::vector<store::Migration>& migrations() {
  static const std::vector<store::Migration> list{
      {"org", 1, R"sql(
CREATE TABLE orgs (
  id {pk},
  code TEXT NOT NULL UNIQUE,
  parent_id BIGINT REFERENCES orgs(id),
  kind TEXT NOT NULL,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  boundary TEXT,
  lat {real},
  lng {real},
  created_at BIGINT NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id);
CREATE TABLE party_orgs (
  id {pk},
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  parent_id BIGINT REFERENCES party_orgs(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX party_orgs_org ON party_orgs(org_id);
CREATE INDEX party_orgs_parent ON party_orgs(parent_id);
CREATE TABLE staff (
  id {pk},
  name TEXT NOT NULL,
  phone_enc {blob},
  phone_mask TEXT,
  created_at BIGINT NOT NULL
);
CREATE TABLE posts (
  id {pk},
  staff_id BIGINT NOT NULL REFERENCES staff(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  role TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  ended_at BIGINT
);
CREATE INDEX posts_org ON posts(org_id);
CREATE INDEX posts_staff ON posts(staff_id);
)sql"},
  };
  return list;
}

}  // namespace wangge::org
