// A small prefecture whose every number can be counted by hand: 2 counties, 3 villages,
// 4 grids, 5 households, 11 residents, 6 posts, 4 party organisations, 5 events. The expected
// rows of the cases that say `fixture shared` (tests/analytics/cases/*.case) are computed from
// this text, not from the engine; the other cases carry their own rows (case_rows.h).
//
//   昭通市 530600000000
//   ├ 昭阳区 530602000000 ─ 凤凰街道 530602001000 ─ 凤凰社区 530602001001 ─ 第1网格 …001 ─ 微网格
//   …001 └ 鲁甸县 530621000000 ─ 文屏镇 530621101000
//       ├ 龙井村 530621101201 ├ 第1网格 G1 …201001 ─ 微网格 M1 …001 ─ 1号楼 B1 …001
//       │                    └ 第2网格 G2 …201002 ─ 微网格 M2 …001
//       └ 砚池社区 530621101202 ─ 第1网格 G3 …202001 ─ 微网格 M3 …001
//
// Households: H1 (M1, in B1, red), H2 (M1, green), H3 (M2, yellow), H4 (M3, green),
// H5 (昭阳 M4, red). Residents (ages on 2026-06-30):
//   H1 r1 男 1950-03-01 76 户主 低保 独居老人 · r2 女 1956-07-01 69 低保 残疾人 ·
//      r3 男 2016-06-30 10 孙子女 留守儿童 低保
//   H2 r4 男 1990-01-15 36 党员 退役军人 · r5 女 2008-07-01 17 迁出
//   H3 r6 男 1966-06-30 60 特困 残疾人 社区矫正对象 红 · r7 女 1946-01-01 80 特困 留守老人 死亡
//   H4 r8 女 1985-05-05 41 矛盾纠纷当事人 黄 易地搬迁 · r9 男 2020-02-29 6 留守儿童 易地搬迁
//   H5 r10 男 1940-12-31 85 脱贫户 防返贫监测户 独居老人 · r11 女 2012-10-10 13 留守儿童 脱贫户
// Posts: G1 网格长, G1 专职网格员, G2 专职网格员 (ended), B1 楼栋长, M1 党员中心户, G3 兼职网格员.
// Party: 县委 at 鲁甸县 (committee), 龙井村党支部 at V1, 第1网格党支部 at G1, 1号楼党小组 at B1.
// Events (reported_at local dates; due = first_due):
//   e1 G1 sanitation 2026-03-01, closed 03-01 (due 03-01 24:00) on time, satisfaction 5, level 1
//   e2 G1 dispute    2026-04-01, closed 04-05 (due 04-03) late, level 2, satisfaction 4
//   e3 G3 dispute    2026-05-10, in_progress, overdue, escalated once, level 3
//   e4 G4 infra.water 2026-06-01, closed 06-04 (due 06-01) late, reopened once, level 2,
//      satisfaction 3
//   e5 G1 sanitation 2025-12-01, closed 2025-12-02, level 1 (outside the 2026 period)
#pragma once

#include "store/database.h"

namespace wangge::analytics::testing {

// Migrates (org, people, auth, events) and loads the data above.
void load_fixture(store::Database& db);

}  // namespace wangge::analytics::testing
