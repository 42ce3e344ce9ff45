#include "demo/names.h"

#include <array>
#include <string_view>
#include <vector>

namespace wangge::demo {
namespace {

// Surnames with rough weights for 昭通 (陈, 王, 李, 张, 杨 lead; 马 for the Hui of 鲁甸,
// 龙 and 陶 among the Miao and Yi).
struct Weighted {
  std::string_view name;
  int weight;
};
constexpr std::array<Weighted, 60> kSurnames{{
    {"陈", 70}, {"王", 68}, {"李", 66}, {"张", 60}, {"杨", 55}, {"刘", 45}, {"朱", 30}, {"罗", 30},
    {"赵", 28}, {"黄", 26}, {"周", 25}, {"吴", 24}, {"徐", 20}, {"孙", 16}, {"胡", 20}, {"马", 28},
    {"何", 18}, {"郭", 12}, {"高", 14}, {"林", 10}, {"邓", 14}, {"曾", 12}, {"彭", 12}, {"吕", 8},
    {"苏", 10}, {"蒋", 9},  {"蔡", 8},  {"丁", 9},  {"魏", 8},  {"叶", 7},  {"余", 12}, {"潘", 7},
    {"杜", 8},  {"夏", 7},  {"钟", 7},  {"汪", 7},  {"田", 10}, {"任", 8},  {"姜", 6},  {"范", 6},
    {"方", 6},  {"石", 8},  {"姚", 6},  {"谭", 6},  {"廖", 7},  {"邹", 6},  {"熊", 9},  {"金", 5},
    {"陆", 5},  {"孔", 5},  {"白", 6},  {"龙", 9},  {"陶", 7},  {"沈", 5},  {"袁", 8},  {"付", 9},
    {"申", 6},  {"肖", 8},  {"唐", 8},  {"管", 5},
}};

constexpr std::array<std::string_view, 60> kMaleChars{
    "伟", "强", "军", "平", "刚", "勇", "毅", "俊", "峰", "磊", "洪", "涛", "明", "超", "辉",
    "华", "建", "国", "文", "斌", "林", "兵", "波", "海", "鹏", "杰", "志", "宇", "浩", "凯",
    "福", "贵", "荣", "昌", "德", "发", "祥", "云", "龙", "顺", "成", "永", "忠", "学", "兴",
    "江", "红", "光", "友", "泽", "飞", "亮", "才", "清", "正", "武", "东", "家", "宏", "朝"};
constexpr std::array<std::string_view, 60> kFemaleChars{
    "芳", "娟", "敏", "静", "丽", "艳", "玲", "霞", "燕", "琴", "梅", "兰", "英", "秀", "萍",
    "红", "娜", "婷", "雪", "慧", "莉", "倩", "琳", "欢", "颖", "洁", "春", "桂", "珍", "凤",
    "仙", "翠", "莲", "菊", "芬", "美", "云", "花", "蓉", "丹", "瑶", "晶", "月", "佳", "思",
    "雨", "欣", "怡", "悦", "梦", "琼", "香", "彩", "秋", "荷", "巧", "蕾", "璐", "妍", "媛"};

constexpr std::array<std::string_view, 64> kPlaceChars{
    "龙", "井", "乌", "蒙", "青", "松", "石", "河", "坝", "岩", "凤", "凰", "大", "小", "新", "田",
    "柏", "杨", "梨", "桃", "花", "山", "沟", "塘", "坪", "营", "堡", "关", "口", "源", "马", "鹿",
    "云", "水", "泉", "溪", "安", "宁", "永", "丰", "兴", "隆", "和", "平", "黑", "白", "红", "黄",
    "金", "银", "铜", "竹", "林", "海", "湾", "洞", "岭", "岗", "寨", "庄", "卯", "昭", "阳", "富"};

constexpr std::array<std::string_view, 16> kStreetTails{
    "路",   "街",   "大道", "巷",   "路",   "街", "路", "东路",
    "西路", "南路", "北路", "中路", "大街", "巷", "路", "街"};

template <class T, size_t N>
const T& pick(Rng& rng, const std::array<T, N>& a) {
  return a[std::uniform_int_distribution<size_t>(0, N - 1)(rng)];
}

const std::discrete_distribution<size_t>& surname_dist() {
  static const std::discrete_distribution<size_t> d = [] {
    std::vector<int> w;
    w.reserve(kSurnames.size());
    for (const auto& s : kSurnames) w.push_back(s.weight);
    return std::discrete_distribution<size_t>(w.begin(), w.end());
  }();
  return d;
}

}  // namespace

std::string person_name(Rng& rng, bool male) {
  thread_local auto d = surname_dist();  // one per thread: operator() is not const
  std::string name(kSurnames[d(rng)].name);
  const auto& chars = male ? kMaleChars : kFemaleChars;
  name += pick(rng, chars);
  if (std::uniform_int_distribution<int>(0, 99)(rng) < 72) name += pick(rng, chars);
  return name;
}

std::string place_stem(Rng& rng) {
  std::string a(pick(rng, kPlaceChars));
  std::string b(pick(rng, kPlaceChars));
  while (b == a) b = pick(rng, kPlaceChars);
  return a + b;
}

std::string street_name(Rng& rng) { return place_stem(rng) + std::string(pick(rng, kStreetTails)); }

}  // namespace wangge::demo
