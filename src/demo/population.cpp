#include "demo/population.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <random>
#include <stdexcept>
#include <vector>

#include "core/codes.h"
#include "demo/names.h"

namespace wangge::demo {
namespace {

bool chance(Rng& rng, double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }
int between(Rng& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

// Hands out ID numbers for one township: region of its county, the birth date, and a
// sequence number from the township's own slice of 000–999. Unique by construction: the
// county's townships split the 500 odd (men) and 500 even (women) numbers of a day into
// disjoint slices by their ordinal, and a township hands out its slice of a day in turn,
// moving the birth date a day later when it is used up. The slice goes through a shuffle of
// 000–999 (odd to odd, even to even) drawn from the seed and the county, the same for every
// township of it: a sequence number cannot be guessed from the township and the birth date,
// which the database keeps in clear (core/codes.h).
class IdNumbers {
 public:
  IdNumbers(std::string region, int ordinal, int townships, uint64_t seed)
      : region_(std::move(region)),
        per_day_(500 / std::max(1, townships)),
        base_(ordinal * per_day_) {
    if (ordinal < 0 || ordinal >= std::max(1, townships) || per_day_ < 1) {
      throw std::logic_error("IdNumbers: township ordinal out of range");
    }
    std::mt19937_64 shuffle_rng(seed * 7919ULL + std::hash<std::string>{}(region_));
    std::array<std::vector<int>, 2> by_parity;
    for (int n = 0; n < 1000; ++n) by_parity[n % 2].push_back(n);
    for (auto& v : by_parity) std::shuffle(v.begin(), v.end(), shuffle_rng);
    for (int n = 0; n < 1000; ++n) sequence_[n] = by_parity[n % 2][n / 2];
  }

  // Returns the number; moves the birth date a day later when that day's slice is used up.
  std::string next(Date& birth, bool male) {
    for (;;) {
      int64_t day = days_since_epoch(birth);
      int& used = used_[{day, male}];
      if (used < per_day_) {
        // rank base_ + used < 500 among the numbers of this parity: index 2·rank (+1 for men).
        int seq = sequence_[2 * (base_ + used++) + (male ? 1 : 0)];
        std::string first17 =
            region_ + fmt::format("{:04d}{:02d}{:02d}{:03d}", static_cast<int>(birth.year()),
                                  static_cast<unsigned>(birth.month()),
                                  static_cast<unsigned>(birth.day()), seq);
        return first17 + citizen_id::check_char(first17);
      }
      birth = date_from_days(day + 1);
    }
  }

 private:
  std::string region_;
  int per_day_, base_;
  std::array<int, 1000> sequence_{};
  std::map<std::pair<int64_t, bool>, int> used_;
};

Date birth_for_age(Rng& rng, Date as_of, int age) {
  int64_t today = days_since_epoch(as_of);
  return date_from_days(today - static_cast<int64_t>(age) * 365 - between(rng, 1, 364));
}

std::string mobile(Rng& rng) {
  static constexpr std::array<const char*, 12> kPrefixes{"133", "135", "136", "137", "138", "139",
                                                         "150", "151", "157", "177", "187", "189"};
  return fmt::format("{}{:08d}", kPrefixes[between(rng, 0, 11)], between(rng, 0, 99999999));
}

struct Member {
  people::Relation relation;
  int age;
  bool male;
};

std::vector<Member> compose(Rng& rng) {
  static const std::discrete_distribution<int> kSizes{0, 12, 22, 22, 22, 14, 8};
  thread_local auto sizes = kSizes;
  int size = sizes(rng);
  std::vector<Member> m;
  int head_age =
      std::clamp(static_cast<int>(std::normal_distribution<double>(50, 14)(rng)), 22, 92);
  bool head_male = chance(rng, 0.82);
  m.push_back({people::Relation::head, head_age, head_male});
  if (size >= 2 && chance(rng, 0.85)) {
    m.push_back(
        {people::Relation::spouse, std::clamp(head_age + between(rng, -5, 4), 20, 95), !head_male});
  }
  while (static_cast<int>(m.size()) < size) {
    if (head_age < 55 && head_age >= 24) {
      if (m.size() >= 3 && head_age < 48 && chance(rng, 0.35)) {
        m.push_back({people::Relation::parent, std::min(98, head_age + between(rng, 22, 32)),
                     chance(rng, 0.45)});
      } else {
        m.push_back({people::Relation::child, std::max(0, head_age - between(rng, 22, 34)),
                     chance(rng, 0.52)});
      }
    } else if (head_age >= 55) {
      bool grandchild = m.size() >= 3 && chance(rng, 0.6);
      m.push_back({grandchild ? people::Relation::grandchild : people::Relation::child,
                   grandchild ? between(rng, 0, 15) : std::max(0, head_age - between(rng, 22, 34)),
                   chance(rng, 0.52)});
    } else {
      m.push_back({people::Relation::sibling, std::max(0, head_age + between(rng, -6, 6)),
                   chance(rng, 0.5)});
    }
  }
  return m;
}

// Tag rates from GLOSSARY.md and public 昭通 figures (see docs/demo-data.md).
struct HouseholdFlags {
  bool tuopin, jiance, dibao, banqian;
};

std::vector<std::string> person_tags(Rng& rng, const Member& p, const HouseholdFlags& h, bool alone,
                                     people::RiskColor& color, bool& key_person) {
  std::vector<std::string> t;
  if (h.tuopin) t.push_back("tuopin");
  if (h.jiance) t.push_back("jiance");
  if (h.dibao) t.push_back("dibao");
  if (h.banqian) t.push_back("banqian");
  if (p.age >= 60) {
    if (alone && chance(rng, 0.6)) t.push_back("alone_elder");
    if (chance(rng, 0.043)) t.push_back("liushou_elder");
    if (alone && chance(rng, 0.08)) t.push_back("tekun");
  }
  if (p.age < 16 && chance(rng, 0.086)) t.push_back("liushou_child");
  if (chance(rng, 0.055)) t.push_back("disabled");
  if (p.male && p.age >= 20 && chance(rng, 0.012)) t.push_back("veteran");
  if (p.age >= 18 && chance(rng, 0.045)) t.push_back("party_member");
  if (p.age >= 18 && p.age <= 45 && chance(rng, 0.02)) t.push_back("new_employment");
  // 鲁甸: 20,860 key persons in 17 categories among its about 472,000 registered residents
  // (4.4%); drawn among the 16–75-year-olds (82% of the demo's residents): 5.4% of them.
  key_person = p.age >= 16 && p.age <= 75 && chance(rng, 0.054);
  if (key_person) {
    // The 17 categories (people::tag_catalogue()) and their shares per 1,000 key persons.
    static constexpr std::array<const char*, 17> kKinds{
        "kp_correction", "kp_released",  "kp_mental",  "kp_drug",     "kp_petition", "kp_youth",
        "kp_dispute",    "kp_cult",      "kp_extreme", "kp_gang",     "kp_gun",      "kp_mass",
        "kp_fraud",      "kp_drug_user", "kp_aids",    "kp_religion", "kp_domestic"};
    static const std::discrete_distribution<int> kWeights{60, 90, 140, 60, 70, 80, 200, 10, 40,
                                                          20, 15, 35,  50, 25, 15, 10,  80};
    thread_local auto weights = kWeights;
    t.push_back(kKinds[weights(rng)]);
    // The colour the category's 红黄绿 rule gives (red for 12%, yellow for half).
    color = people::rule_color({t.back()}).value_or(people::RiskColor::green);
  }
  return t;
}

}  // namespace

TownshipBatch generate_township(const std::vector<PlannedOrg>& plan, size_t township, int ordinal,
                                int townships, uint64_t seed, const Vault& vault, Date as_of) {
  const PlannedOrg& ts = plan[township];
  Rng rng(seed * 1000003ULL + static_cast<uint64_t>(ts.id));
  IdNumbers ids(ts.code.substr(0, 6), ordinal, townships, seed);
  const std::string prefix = ts.code.substr(0, 9);
  const std::string& county_name = plan[ts.parent_id - 1].name;
  TownshipBatch out;

  for (size_t j = township + 1; j < plan.size() && plan[j].code.starts_with(prefix); ++j) {
    const PlannedOrg& mg = plan[j];
    if (mg.kind != "micro_grid" || mg.households == 0) continue;
    const PlannedOrg& grid = plan[mg.parent_id - 1];
    const PlannedOrg& village = plan[grid.parent_id - 1];
    bool urban = village.type == "community";
    std::vector<int64_t> buildings;
    for (size_t k = j + 1; k < plan.size() && plan[k].parent_id == mg.id; ++k) {
      buildings.push_back(plan[k].id);
    }
    std::string street = urban ? street_name(rng) : std::string();
    for (int h = 1; h <= mg.households; ++h) {
      HouseholdOut hh;
      hh.org_id = mg.id;
      hh.household_no = fmt::format("{}-{:03d}", mg.code, h);
      if (urban && !buildings.empty()) {
        size_t b = static_cast<size_t>(between(rng, 0, static_cast<int>(buildings.size()) - 1));
        hh.building_id = buildings[b];
        hh.address =
            fmt::format("{}{}{}{}号{}单元{}室", county_name, ts.name, street, between(rng, 1, 300),
                        between(rng, 1, 4), between(rng, 1, 18) * 100 + between(rng, 1, 4));
      } else {
        hh.address = fmt::format("{}{}{}第{}村民小组{}号", county_name, ts.name, village.name,
                                 between(rng, 1, 12), between(rng, 1, 120));
      }
      HouseholdFlags flags{chance(rng, urban ? 0.12 : 0.40), chance(rng, 0.02), chance(rng, 0.06),
                           chance(rng, urban ? 0.18 : 0.04)};
      auto members = compose(rng);
      bool any_red = false, any_yellow = false;
      for (const auto& p : members) {
        people::NewResident r;
        r.household_no = hh.household_no;
        r.name = person_name(rng, p.male);
        Date birth = birth_for_age(rng, as_of, p.age);
        r.id_number = ids.next(birth, p.male);
        r.relation = p.relation;
        double s = std::uniform_real_distribution<double>(0, 1)(rng);
        r.status = s < 0.97 ? people::ResidentStatus::moved_in
                            : (s < 0.99 ? people::ResidentStatus::moved_out
                                        : people::ResidentStatus::deceased);
        if (p.age >= 16 && chance(rng, 0.7)) r.phone = mobile(rng);
        people::RiskColor color = people::RiskColor::green;
        bool key_person = false;
        r.tags = person_tags(rng, p, flags, members.size() == 1, color, key_person);
        if (key_person) {
          r.color = color;
          any_red |= color == people::RiskColor::red;
          any_yellow |= color == people::RiskColor::yellow;
        }
        out.residents.push_back({out.households.size(), mg.id, people::encode_resident(vault, r)});
      }
      double c = std::uniform_real_distribution<double>(0, 1)(rng);
      hh.color = (any_red || c < 0.012) ? "red" : ((any_yellow || c < 0.05) ? "yellow" : "green");
      out.households.push_back(std::move(hh));
    }
  }
  return out;
}

}  // namespace wangge::demo
