// Labels of the registry (居民, 户, 网格): [中文, English]. Terms follow ../shared/GLOSSARY.md.
import type { Messages } from '../types'

export const messages = {
  'nav.registry': ['居民', 'Residents'],

  'registry.search': ['姓名或拼音（如 zs）', 'Name or pinyin (e.g. zs)'],
  'registry.tag': ['标签', 'Tags'],
  'registry.color': ['颜色', 'Colour'],
  'registry.ageMin': ['最小年龄', 'Min age'],
  'registry.ageMax': ['最大年龄', 'Max age'],
  'registry.sortNote': ['每页按姓名拼音排序；身份证号、手机号已脱敏。', 'Each page is in pinyin order; ID and phone numbers are masked.'],

  'resident.name': ['姓名', 'Name'],
  'resident.sex': ['性别', 'Sex'],
  'resident.age': ['年龄', 'Age'],
  'resident.years': ['岁', ' yrs'],
  'resident.birth': ['出生年份', 'Birth year'],
  'resident.color': ['红黄绿', 'Colour'],
  'resident.tags': ['标签', 'Tags'],
  'resident.idNumber': ['公民身份号码', 'Citizen ID'],
  'resident.phone': ['联系电话', 'Phone'],
  'resident.household': ['户编号', 'Household'],
  'resident.org': ['所属网格', 'Grid'],
  'resident.relation': ['与户主关系', 'Relation'],
  'resident.status': ['人员状态', 'Status'],
  'resident.show': ['查看明文', 'Show'],
  'resident.revealTitle': ['查看明文（留痕）', 'Show in clear (audited)'],
  'resident.revealNote': ['查看个人信息明文须填写事由，系统将记入审计日志。', 'Give a reason; every clear read is written to the audit log.'],
  'resident.reason': ['查看事由（2至200字）', 'Reason (2–200 characters)'],
  'resident.changeColor': ['调整颜色', 'Change colour'],
  'resident.colorReason': ['调整原因（必填）', 'Reason (required)'],
  'resident.colorHistory': ['颜色变更记录', 'Colour history'],

  'history.at': ['时间', 'When'],
  'history.change': ['变更', 'Change'],
  'history.reason': ['原因', 'Reason'],
  'history.by': ['操作人', 'By'],

  'household.title': ['户', 'Household'],
  'household.address': ['住址', 'Address'],
  'household.building': ['楼栋', 'Building'],
  'household.members': ['家庭成员', 'Members'],

  'm.grid': ['网格', 'Grid'],
  'm.searchPeople': ['查找居民', 'Find a resident'],
  'm.gridCount': ['{h} 户，{p} 人', '{h} households, {p} people'],
  'm.householdOf': ['{n} 人', '{n} people'],
} as const satisfies Messages
