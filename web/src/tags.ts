// The tags a filter offers (codes as in src/people/people.cpp; the server validates them and
// refuses sensitive ones to callers who may not see them).
export const FILTER_TAGS: { code: string; name: string; en: string }[] = [
  { code: 'dibao', name: '低保', en: 'Minimum living allowance' },
  { code: 'tekun', name: '特困', en: 'Extreme hardship support' },
  { code: 'tuopin', name: '脱贫户', en: 'Lifted out of poverty' },
  { code: 'jiance', name: '防返贫监测户', en: 'Monitored against relapse' },
  { code: 'banqian', name: '易地搬迁', en: 'Relocated' },
  { code: 'liushou_elder', name: '留守老人', en: 'Left-behind elderly' },
  { code: 'liushou_child', name: '留守儿童', en: 'Left-behind child' },
  { code: 'alone_elder', name: '独居老人', en: 'Elderly living alone' },
  { code: 'disabled', name: '残疾人', en: 'Disabled' },
  { code: 'veteran', name: '退役军人', en: 'Veteran' },
  { code: 'party_member', name: '党员', en: 'Party member' },
  { code: 'new_employment', name: '新就业群体', en: 'New-employment worker' },
]
