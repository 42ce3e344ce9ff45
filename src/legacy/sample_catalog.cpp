// The sample forms' catalogue. The headers are the ones county forms really use, variants
// included; the field after "=" is the truth the analyser is scored against.
#include "legacy/sample_catalog.h"

namespace wangge::legacy::samples {

const std::vector<FieldSpec>& field_specs() {
  static const std::vector<FieldSpec> specs{
      {"resident.name", "name"},
      {"resident.sex", "sex"},
      {"resident.ethnicity", "eth"},
      {"resident.id_number", "id"},
      {"resident.birth_date", "birth"},
      {"resident.age", "age:1:95"},
      {"resident.phone", "phone"},
      {"resident.address", "addr"},
      {"resident.relation", "enum:户主|配偶|子女|父母|孙子女"},
      {"resident.education", "enum:小学|初中|高中|大专|本科|文盲或半文盲"},
      {"resident.political", "enum:群众|中共党员|共青团员"},
      {"resident.health", "enum:健康|一般|患大病|患慢性病|残疾"},
      {"resident.marital", "enum:已婚|未婚|丧偶|离异"},
      {"resident.status", "enum:常住|外出务工|流入"},
      {"resident.occupation", "text:务农|务工|个体经营|学生|无业|村干部|教师"},
      {"resident.work_place", "text:浙江宁波|广东东莞|福建晋江|昆明市官渡区|江苏苏州|昭通市昭阳区"},
      {"household.head_name", "name"},
      {"household.head_id", "id"},
      {"household.head_phone", "phone"},
      {"household.size", "int:1:8"},
      {"household.no", "int:53062100001:53062199999"},
      {"household.income", "int:6800:18000"},
      {"household.bank_account", "bank"},
      {"household.bank", "enum:鲁甸县农村信用合作联社|中国农业银行鲁甸支行|中国邮政储蓄银行"},
      {"org.township", "town"},
      {"org.village", "village"},
      {"org.grid", "grid"},
      {"org.group", "group"},
      {"dibao.category", "enum:A类|B类|C类"},
      {"dibao.persons", "int:1:6"},
      {"dibao.amount", "int:280:2100"},
      {"dibao.since", "recent"},
      {"dibao.area", "enum:城市|农村"},
      {"dibao.exit_date", "recent"},
      {"dibao.exit_reason", "enum:收入超过标准|死亡|迁出|家庭情况好转"},
      {"tekun.mode", "enum:集中供养|分散供养"},
      {"tekun.standard", "enum:1020|1050|1110"},
      {"tekun.care_level", "enum:全自理|半护理|全护理"},
      {"elderly.subsidy", "enum:50|100|300"},
      {"elderly.age_band", "enum:80-89岁|90-99岁|100岁及以上"},
      {"elderly.living", "enum:独居|与配偶同住|与子女同住"},
      {"elderly.child_phone", "phone"},
      {"care.visit_date", "recent"},
      {"care.cadre", "name"},
      {"disability.cert", "discert"},
      {"disability.kind", "enum:视力|听力|言语|肢体|智力|精神|多重"},
      {"disability.grade", "enum:一级|二级|三级|四级"},
      {"disability.living_subsidy", "enum:80|100"},
      {"disability.care_subsidy", "enum:80|100|120"},
      {"child.school",
       "text:鲁甸县文屏镇中心小学|龙头山镇中学|水磨镇中心小学|砚池街道小学|茨院乡中学"},
      {"child.grade", "enum:一年级|二年级|三年级|四年级|五年级|六年级|初一|初二|初三"},
      {"child.guardian_name", "name"},
      {"child.guardian_phone", "phone"},
      {"child.guardian_relation", "enum:祖父|祖母|外祖父|外祖母|父亲|母亲"},
      {"child.parents_work", "text:浙江宁波|广东东莞|福建晋江|江苏苏州|上海松江"},
      {"child.left_type", "enum:父母双方外出|父亲外出|母亲外出"},
      {"monitor.category", "enum:脱贫不稳定户|边缘易致贫户|突发严重困难户"},
      {"monitor.risk", "enum:因病|因残|因学|因灾|因意外|缺劳力"},
      {"monitor.measures", "text:产业帮扶|就业帮扶|健康帮扶|教育帮扶|综合保障|公益岗位"},
      {"monitor.cadre", "name"},
      {"monitor.since", "recent"},
      {"monitor.cleared", "enum:是|否"},
      {"relocation.site", "enum:卯家湾安置区|靖安安置区|砚池安置点|龙泉安置点"},
      {"relocation.origin", "village"},
      {"relocation.persons", "int:1:8"},
      {"relocation.moved_in", "recent"},
      {"relocation.employed", "int:0:4"},
      {"grid.worker_name", "name"},
      {"grid.worker_type", "enum:专职|兼职"},
      {"grid.households", "int:80:450"},
      {"grid.persons", "int:300:1600"},
      {"stats.grids", "int:4:30"},
      {"stats.grid_workers", "int:8:60"},
      {"stats.full_time_workers", "int:4:30"},
      {"stats.part_time_workers", "int:4:30"},
      {"stats.population", "int:1500:9000"},
      {"stats.male", "int:700:4500"},
      {"stats.female", "int:700:4500"},
      {"stats.elderly_60", "int:150:1500"},
      {"stats.elderly_80", "int:20:300"},
      {"stats.left_children", "int:10:200"},
      {"stats.dibao_households", "int:20:300"},
      {"stats.dibao_persons", "int:40:700"},
      {"stats.disabled", "int:20:300"},
      {"stats.party_members", "int:20:160"},
      {"stats.party_branches", "int:2:12"},
      {"party.joined", "birth"},
      {"party.branch", "text:龙泉村党总支第一支部|雨露社区第二网格党支部|文屏社区党委第三支部"},
      {"party.kind", "enum:正式党员|预备党员"},
      {"party.center_household", "enum:是|否"},
      {"dispute.found", "recent"},
      {"dispute.parties", "text:张某某与李某某|王某某与赵某某|陈某某与刘某某|杨某某与周某某"},
      {"dispute.kind", "enum:邻里纠纷|婚姻家庭|土地山林|劳资纠纷|征地拆迁"},
      {"dispute.summary", "text:因宅基地界线发生争执|因琐事发生口角|拖欠务工工资|耕地边界不清"},
      {"dispute.result", "enum:已化解|正在化解|移交司法所"},
      {"dispute.mediator", "name"},
      {"hazard.place", "text:龙泉村3组后山|雨露社区2栋|文屏镇小学旁|乐红镇集镇街道"},
      {"hazard.kind", "enum:地质灾害|消防安全|道路交通|房屋安全|用电安全"},
      {"hazard.description", "text:墙体开裂|护栏缺失|电线老化|排水沟堵塞|边坡落石"},
      {"hazard.level", "enum:一般|较大|重大"},
      {"hazard.deadline", "recent"},
      {"hazard.owner", "name"},
      {"hazard.status", "enum:已整改|整改中|未整改"},
      {"planning.children", "int:0:4"},
      {"planning.method", "enum:上环|结扎|药具|无"},
      {"planning.cert", "int:5306210001:5306219999"},
      {"insurance.status", "enum:已参保|未参保"},
      {"insurance.kind", "enum:城乡居民医保|职工医保"},
      {"insurance.fee", "enum:380|400"},
      {"insurance.paid", "recent"},
      {"pension.grade", "enum:200|300|500|1000"},
      {"pension.status", "enum:已领取|未领取|暂停领取"},
      {"pension.monthly", "int:150:260"},
      {"veteran.enlisted", "birth"},
      {"veteran.discharged", "recent"},
      {"veteran.kind", "enum:自主就业|退休|逐月领取退役金"},
      {"veteran.unit", "text:武警云南总队|西部战区陆军某部|南部战区海军某部"},
      {"job.status", "enum:已就业|未就业|灵活就业"},
      {"job.mode", "enum:省外务工|省内县外务工|县内务工|公益性岗位"},
      {"job.income", "int:1800:7500"},
      {"job.skill", "text:电焊|厨师|驾驶|家政|无|建筑|养殖"},
      {"job.training", "enum:有|无"},
      {"common.remark", "remark"},
  };
  return specs;
}

const std::vector<FormSpec>& form_specs() {
  using F = Format;
  static const std::vector<FormSpec> forms{
      {"01_农村低保对象花名册.xlsx", "鲁甸县农村低保对象花名册", F::xlsx,
       kSerial | kMeta | kNotes | kSigners, 9,
       "乡镇=org.township;村委会=org.village;户主姓名=household.head_name;"
       "户主身份证号=household.head_id;家庭成员情况{家庭人口（人）=household.size;"
       "保障人数（人）=dibao.persons};月保障金额（元）=dibao.amount;低保类别=dibao.category;"
       "纳入低保时间=dibao.since;备注=common.remark"},
      {"02_城市低保对象花名册.csv", "城市低保对象花名册", F::csv_bom, kSerial | kMeta | kSigners, 7,
       "所属乡镇=org.township;社区=org.village;户主=household.head_name;"
       "身份证号码=household.head_id;保障人口（人）=dibao.persons;月低保金（元）=dibao.amount;"
       "保障类别=dibao.category;联系电话=household.head_phone"},
      {"03_低保对象退出台账.xlsx", "农村低保对象退出台账", F::xlsx, kSerial | kNotes, 6,
       "乡镇（街道）=org.township;村（社区）=org.village;户主姓名=household.head_name;"
       "户主身份证号码=household.head_id;原保障人数（人）=dibao.persons;"
       "原月保障金额（元）=dibao.amount;退出时间=dibao.exit_date;退出原因=dibao.exit_reason"},
      {"04_城乡低保家庭成员明细表.csv", "城乡低保家庭成员明细表", F::csv_gb18030,
       kSerial | kSpaced | kHalfWidth, 10,
       "户主姓名=household.head_name;姓名=resident.name;性别=resident.sex;"
       "与户主关系=resident.relation;身份证号=resident.id_number;健康状况=resident.health;"
       "城乡类别=dibao.area"},
      {"05_特困供养人员花名册.xlsx", "特困人员救助供养花名册", F::xlsx,
       kSerial | kMeta | kNotes | kSigners, 8,
       "乡（镇）=org.township;村（社区）=org.village;姓名=resident.name;性别=resident.sex;"
       "公民身份号码=resident.id_number;供养方式=tekun.mode;"
       "基本生活标准（元/月）=tekun.standard;照料护理等级=tekun.care_level;"
       "联系电话=resident.phone"},
      {"06_特困人员照料护理台账.csv", "特困人员照料护理台账", F::csv_utf8, kSerial, 6,
       "人员姓名=resident.name;身份证号码=resident.id_number;供养形式=tekun.mode;"
       "护理等级=tekun.care_level;走访时间=care.visit_date;包保责任人=care.cadre"},
      {"07_高龄补贴发放花名册.xlsx", "80周岁以上高龄老人补贴发放花名册", F::xlsx,
       kSerial | kMeta | kTotals | kSigners, 10,
       "乡镇=org.township;村委会=org.village;老人姓名=resident.name;性 别=resident.sex;"
       "出生年月=resident.birth_date;年龄（岁）=resident.age;年龄段=elderly.age_band;"
       "高龄补贴标准（元/月）=elderly.subsidy;一卡通账号=household.bank_account"},
      {"08_高龄津贴名册.csv", "高龄津贴发放名册", F::csv_bom, kSerial | kHalfWidth, 8,
       "所在村=org.village;姓名=resident.name;身份证号=resident.id_number;"
       "出生日期=resident.birth_date;补贴标准（元/"
       "月）=elderly.subsidy;银行卡号=household.bank_account;"
       "开户行=household.bank"},
      {"09_残疾人两项补贴花名册.xlsx", "困难残疾人生活补贴和重度残疾人护理补贴发放花名册", F::xlsx,
       kSerial | kMeta | kNotes | kTotals, 9,
       "乡镇=org.township;村（居）委会=org.village;姓名=resident.name;"
       "身份证号码=resident.id_number;残疾证号=disability.cert;残疾类别=disability.kind;"
       "残疾等级=disability.grade;补贴标准（元/月）{生活补贴=disability.living_subsidy;"
       "护理补贴=disability.care_subsidy}"},
      {"10_残疾人基本情况摸底表.csv", "持证残疾人基本情况摸底表", F::csv_gb18030, kSerial | kSpaced,
       8,
       "姓名=resident.name;性别=resident.sex;居民身份证号码=resident.id_number;"
       "残疾人证号=disability.cert;残疾类型=disability.kind;残疾级别=disability.grade;"
       "困难残疾人生活补贴（元/月）=disability.living_subsidy;"
       "重度残疾人护理补贴（元/月）=disability.care_subsidy;家庭住址=resident.address"},
      {"11_农村留守儿童信息台账.xlsx", "农村留守儿童基本信息台账", F::xlsx,
       kSerial | kMeta | kNotes | kSigners | kWrap, 9,
       "乡镇（街道）=org.township;村（社区）=org.village;儿童基本信息{姓名=resident.name;"
       "性别=resident.sex;出生日期=resident.birth_date;身份证号码=resident.id_number};"
       "就读学校=child.school;年级=child.grade;监护人信息{姓名=child.guardian_name;"
       "与儿童关系=child.guardian_relation;联系电话=child.guardian_phone};"
       "父母务工地点=child.parents_work"},
      {"12_留守儿童关爱帮扶台账.csv", "留守儿童关爱帮扶台账", F::csv_bom, kSerial, 7,
       "儿童姓名=resident.name;身份证号=resident.id_number;留守类型=child.left_type;"
       "就读年级=child.grade;学校名称=child.school;监护人姓名=child.guardian_name;"
       "监护人电话=child.guardian_phone;走访日期=care.visit_date"},
      {"13_独居老人关爱台账.xlsx", "农村独居空巢老人关爱服务台账", F::xlsx,
       kSerial | kNotes | kSigners, 8,
       "村（社区）=org.village;村民小组=org.group;姓名=resident.name;年龄=resident.age;"
       "身份证号码=resident.id_number;居住情况=elderly.living;身体状况=resident.health;"
       "联系方式=resident.phone;结对关爱人=care.cadre;最近走访时间=care.visit_date"},
      {"14_留守老人信息表.csv", "农村留守老人信息采集表", F::csv_utf8, kSerial | kHalfWidth, 7,
       "行政村=org.village;组=org.group;老人姓名=resident.name;性别=resident.sex;"
       "出生年月=resident.birth_date;居住方式=elderly.living;健康状况=resident.health;"
       "子女联系电话=elderly.child_phone;包保干部=care.cadre"},
      {"15_防返贫监测对象台账.xlsx", "防止返贫动态监测对象台账", F::xlsx,
       kSerial | kMeta | kNotes | kSigners, 9,
       "乡镇=org.township;村=org.village;户主姓名=household.head_name;"
       "户主身份证号码=household.head_id;家庭人口数=household.size;"
       "监测对象类别=monitor.category;主要风险=monitor.risk;帮扶措施=monitor.measures;"
       "帮扶责任人=monitor.cadre;纳入监测时间=monitor.since;风险是否消除=monitor.cleared"},
      {"16_监测户帮扶措施落实表.csv", "监测户帮扶措施落实情况表", F::csv_gb18030, kSerial, 8,
       "户主=household.head_name;身份证号码=household.head_id;监测对象类型=monitor.category;"
       "风险类型=monitor.risk;帮扶举措=monitor.measures;帮扶责任人姓名=monitor.cadre;"
       "监测纳入时间=monitor.since;是否消除风险=monitor.cleared;家庭年人均纯收入（元）=household."
       "income"},
      {"17_脱贫户收入监测表.xlsx", "脱贫户家庭收入监测表", F::xlsx, kSerial | kTotals, 8,
       "村委会=org.village;户主姓名=household.head_name;户编号=household.no;"
       "家庭人口（人）=household.size;人均纯收入（元）=household.income;务工就业人数=relocation."
       "employed;"
       "主要风险=monitor.risk"},
      {"18_易地搬迁安置台账.xlsx", "易地扶贫搬迁安置台账", F::xlsx,
       kSerial | kMeta | kNotes | kSigners, 9,
       "安置点=relocation.site;户主姓名=household.head_name;户主身份证号=household.head_id;"
       "迁出地=relocation.origin;搬迁人数（人）=relocation.persons;搬迁入住时间=relocation.moved_"
       "in;"
       "已就业人数（人）=relocation.employed;联系电话=household.head_phone"},
      {"19_搬迁群众就业台账.csv", "易地搬迁群众就业台账", F::csv_bom, kSerial | kHalfWidth, 8,
       "安置点名称=relocation.site;姓名=resident.name;身份证号=resident.id_number;"
       "原居住地=relocation.origin;就业状态=job.status;就业方式=job.mode;月收入（元）=job.income;"
       "手机号码=resident.phone"},
      {"20_安置点入住情况统计.xlsx", "易地搬迁集中安置点入住情况统计表", F::xlsx,
       kSerial | kColNumbers | kTotals | kNotes, 4,
       "集中安置点=relocation.site;搬迁人口（人）=relocation.persons;入住日期=relocation.moved_in;"
       "就业人数=relocation.employed"},
      {"21_网格员花名册.xlsx", "网格员花名册", F::xlsx, kSerial | kMeta | kSigners | kWrap, 9,
       "乡镇（街道）=org.township;村（社区）=org.village;所属网格=org.grid;"
       "网格员姓名=grid.worker_name;性别=resident.sex;出生年月=resident.birth_date;"
       "政治面貌=resident.political;文化程度=resident.education;专兼职=grid.worker_type;"
       "联系电话=resident.phone;网格内户数（户）=grid.households;网格内人数（人）=grid.persons"},
      {"22_网格员信息采集表.csv", "网格员基本信息采集表", F::csv_utf8, kSerial | kSpaced, 8,
       "网格=org.grid;网格员=grid.worker_name;民族=resident.ethnicity;身份证号=resident.id_number;"
       "学历=resident.education;网格员类型=grid.worker_type;手机号=resident.phone;"
       "服务户数（户）=grid.households"},
      {"23_网格及网格员配备统计表.xlsx", "网格及网格员配备情况统计表", F::xlsx,
       kMeta | kColNumbers | kTotals | kNotes, 6,
       "村（社区）=org.village;网格数（个）=stats.grids;网格员情况{网格员数（人）=stats.grid_"
       "workers;"
       "其中：专职（人）=stats.full_time_workers;其中：兼职（人）=stats.part_time_workers}"},
      {"24_党员花名册.xlsx", "农村党员花名册", F::xlsx, kSerial | kMeta | kSigners, 9,
       "所在党支部=party.branch;姓名=resident.name;性别=resident.sex;民族=resident.ethnicity;"
       "出生日期=resident.birth_date;入党时间=party.joined;党员类别=party.kind;"
       "文化程度=resident.education;是否党员中心户=party.center_household;联系电话=resident.phone"},
      {"25_党员信息统计表.csv", "党员基本信息统计表", F::csv_gb18030, kSerial | kHalfWidth, 8,
       "所属党支部=party.branch;党员姓名=resident.name;公民身份号码=resident.id_number;"
       "入党日期=party.joined;党员类型=party.kind;学历=resident.education;家庭住址=resident."
       "address"},
      {"26_党组织覆盖情况统计.xlsx", "党组织和党员覆盖情况统计表", F::xlsx,
       kColNumbers | kTotals | kNotes, 6,
       "乡镇=org.township;村委会=org.village;党支部数（个）=stats.party_branches;"
       "党员人数（名）=stats.party_members;网格数量=stats.grids"},
      {"27_矛盾纠纷排查台账.xlsx", "矛盾纠纷排查化解工作台账", F::xlsx,
       kSerial | kMeta | kNotes | kSigners | kWrap, 8,
       "排查时间=dispute.found;所在村（社区）=org.village;当事人=dispute.parties;"
       "纠纷类型=dispute.kind;纠纷简要情况=dispute.summary;化解情况=dispute.result;"
       "调解人员=dispute.mediator;联系电话=resident.phone"},
      {"28_矛盾纠纷排查登记表.csv", "矛盾纠纷排查登记表", F::csv_bom, kSerial, 7,
       "排查日期=dispute.found;村（居）委会=org.village;当事人姓名=dispute.parties;"
       "矛盾纠纷类别=dispute.kind;简要情况=dispute.summary;调处结果=dispute.result;调解员=dispute."
       "mediator"},
      {"29_安全隐患排查台账.xlsx", "安全隐患排查整治台账", F::xlsx,
       kSerial | kMeta | kNotes | kSigners, 8,
       "乡镇=org.township;村（社区）=org.village;隐患地点=hazard.place;隐患类型=hazard.kind;"
       "隐患描述=hazard.description;隐患等级=hazard.level;整改责任人=hazard.owner;"
       "整改时限=hazard.deadline;整改情况=hazard.status"},
      {"30_地质灾害隐患点台账.csv", "地质灾害隐患点巡查台账", F::csv_gb18030, kSerial, 7,
       "所在村=org.village;隐患位置=hazard.place;隐患类别=hazard.kind;存在问题=hazard.description;"
       "隐患级别=hazard.level;责任人=hazard.owner;整改期限=hazard.deadline;整改进度=hazard.status"},
      {"31_人口普查摸底表.xlsx", "人口基本信息摸底登记表", F::xlsx,
       kSerial | kMeta | kNotes | kSigners | kWrap, 10,
       "乡镇=org.township;村委会=org.village;村民小组=org.group;户编号=household.no;"
       "姓  "
       "名=resident.name;与户主关系=resident.relation;性别=resident.sex;民族=resident.ethnicity;"
       "公民身份号码=resident.id_number;文化程度=resident.education;婚姻状况=resident.marital;"
       "人员状态=resident.status;现住址=resident.address"},
      {"32_流动人口登记表.csv", "流动人口信息登记表", F::csv_utf8, kSerial | kHalfWidth, 8,
       "姓名=resident.name;性别=resident.sex;身份证号码=resident.id_number;"
       "现居住地址=resident.address;职业=resident.occupation;联系电话=resident.phone;"
       "人员状态=resident.status"},
      {"33_村情人口统计表.xlsx", "村（社区）人口基本情况统计表", F::xlsx,
       kMeta | kColNumbers | kTotals | kNotes | kFullWidth, 6,
       "村（社区）=org.village;户籍人口（人）=stats.population;其中{男性（人）=stats.male;"
       "女性（人）=stats.female};60岁以上老人（人）=stats.elderly_60;"
       "80岁以上老人（人）=stats.elderly_80;留守儿童数（人）=stats.left_children"},
      {"34_计划生育家庭信息表.xlsx", "计划生育家庭信息登记表", F::xlsx, kSerial | kMeta | kSigners,
       8,
       "村委会=org.village;户主姓名=household.head_name;女方姓名=resident.name;"
       "身份证号码=resident.id_number;出生年月=resident.birth_date;现有子女数=planning.children;"
       "避孕节育措施=planning.method;独生子女父母光荣证号=planning.cert"},
      {"35_计生特殊家庭台账.csv", "计划生育特殊家庭帮扶台账", F::csv_bom, kSerial, 6,
       "姓名=resident.name;身份证号=resident.id_number;子女个数=planning.children;"
       "节育措施=planning.method;独生子女证号=planning.cert;联系方式=resident.phone;"
       "包保责任人=care.cadre"},
      {"36_城乡居民医保参保台账.xlsx", "城乡居民基本医疗保险参保登记台账", F::xlsx,
       kSerial | kMeta | kNotes | kTotals, 10,
       "乡镇=org.township;村（社区）=org.village;户主姓名=household.head_name;姓名=resident.name;"
       "公民身份号码=resident.id_number;参保状态=insurance.status;参保类别=insurance.kind;"
       "个人缴费金额（元）=insurance.fee;缴费时间=insurance.paid"},
      {"37_医保缴费情况统计.csv", "医疗保险缴费情况明细", F::csv_gb18030, kSerial | kHalfWidth, 8,
       "村民小组=org.group;参保人姓名=resident.name;身份证号码=resident.id_number;"
       "参保情况=insurance.status;参保类型=insurance.kind;缴费金额（元）=insurance.fee;"
       "缴费日期=insurance.paid"},
      {"38_城乡居民养老保险台账.xlsx", "城乡居民基本养老保险台账", F::xlsx,
       kSerial | kMeta | kSigners, 9,
       "村委会=org.village;姓名=resident.name;性别=resident.sex;身份证号码=resident.id_number;"
       "出生年月=resident.birth_date;缴费档次（元）=pension.grade;领取状态=pension.status;"
       "月领取金额（元）=pension.monthly;开户银行=household.bank"},
      {"39_养老金领取人员名册.csv", "养老金待遇领取人员名册", F::csv_utf8, kSerial, 7,
       "所在村=org.village;领取人姓名=resident.name;身份证号=resident.id_number;"
       "年龄=resident.age;待遇领取状态=pension.status;养老金月领取额（元）=pension.monthly;"
       "银行账号=household.bank_account"},
      {"40_退役军人信息采集表.xlsx", "退役军人和其他优抚对象信息采集表", F::xlsx,
       kSerial | kMeta | kNotes | kSigners | kWrap, 8,
       "乡镇（街道）=org.township;村（社区）=org.village;姓名=resident.name;性别=resident.sex;"
       "身份证号码=resident.id_number;服役情况{入伍时间=veteran.enlisted;退役时间=veteran."
       "discharged;"
       "服役部队=veteran.unit};退役类别=veteran.kind;联系电话=resident.phone"},
      {"41_退役军人花名册.csv", "退役军人花名册", F::csv_bom, kSerial | kSpaced, 7,
       "姓名=resident.name;民族=resident.ethnicity;公民身份号码=resident.id_number;"
       "入伍年月=veteran.enlisted;退伍时间=veteran.discharged;原服役部队=veteran.unit;"
       "安置方式=veteran.kind;手机号码=resident.phone;现住址=resident.address"},
      {"42_就业帮扶台账.xlsx", "农村劳动力就业帮扶台账", F::xlsx,
       kSerial | kMeta | kNotes | kSigners, 9,
       "乡镇=org.township;村（社区）=org.village;姓名=resident.name;身份证号码=resident.id_number;"
       "就业情况{就业状态=job.status;就业形式=job.mode;务工地点=resident.work_place;"
       "月工资（元）=job.income};技能特长=job.skill;培训意愿=job.training;联系电话=resident.phone"},
      {"43_劳动力转移就业统计.csv", "农村劳动力转移就业情况表", F::csv_gb18030, kSerial, 8,
       "村民小组=org.group;姓名=resident.name;身份证号=resident.id_number;年龄=resident.age;"
       "文化程度=resident.education;是否就业=job.status;外出务工地点=resident.work_place;"
       "月均收入（元）=job.income;专业技能=job.skill;是否有培训意愿=job.training"},
      {"44_重点人群汇总表.xlsx", "一老一小重点人群汇总表", F::xlsx,
       kMeta | kColNumbers | kTotals | kNotes, 6,
       "乡镇=org.township;村（社区）=org.village;老年人{60周岁以上（人）=stats.elderly_60;"
       "80周岁以上（人）=stats.elderly_80};留守儿童（人）=stats.left_children;"
       "低保户数（户）=stats.dibao_households;低保人数（人）=stats.dibao_persons;"
       "残疾人数（人）=stats.disabled"},
      {"45_民政对象统计表.csv", "民政服务对象统计表", F::csv_bom, kColNumbers | kTotals, 5,
       "村委会=org.village;低保对象{户数（户）=stats.dibao_households;人数（人）=stats.dibao_"
       "persons};"
       "残疾人（人）=stats.disabled;党员数（名）=stats.party_members"},
      {"46_户籍家庭成员登记表.xlsx", "户籍家庭成员情况登记表", F::xlsx, kSerial | kMeta | kWrap, 10,
       "户号=household.no;户主姓名=household.head_name;家庭成员情况{姓名=resident.name;"
       "与户主的关系=resident.relation;性别=resident.sex;出生日期=resident.birth_date;"
       "身份证号码=resident.id_number};婚姻状态=resident.marital;文化程度=resident.education;"
       "家庭地址=resident.address"},
  };
  return forms;
}

}  // namespace wangge::legacy::samples
