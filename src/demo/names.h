// Pools for plausible synthetic names: people (surnames weighted as in north-east Yunnan),
// townships, villages and streets. Nothing here is a real person.
#pragma once

#include <random>
#include <string>

namespace wangge::demo {

using Rng = std::mt19937_64;

std::string person_name(Rng& rng, bool male);
// "龙井" — two syllables for a place name; the caller adds 镇/乡/街道/村/社区.
std::string place_stem(Rng& rng);
// "滨江路" for urban addresses.
std::string street_name(Rng& rng);

}  // namespace wangge::demo
