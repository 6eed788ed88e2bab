"""Names and sentences the generated benchmark archives are made of (search.py, corpus.py): people,
institutions, countries and cities written phonetically in Chinese, in varied sentences, with
headlines told apart by their words."""
from __future__ import annotations

PEOPLE = [("韦斯特布鲁克", "Westbrook"), ("诺斯盖特", "Northgate"), ("高洋", "Gao Yang"), ("马丁内斯", "Martinez"),
          ("伊万诺娃", "Ivanova"), ("奥卡福", "Okafor"), ("哈特菲尔德", "Hatfield"), ("罗森伯格", "Rosenberg"),
          ("范德堡", "Vanderburg"), ("卡瓦略", "Carvalho"), ("彼得罗夫", "Petrov"), ("阿德巴约", "Adebayo"),
          ("科瓦尔斯基", "Kowalski"), ("林德奎斯特", "Lindqvist"), ("萨利赫", "Saleh"), ("德拉克洛瓦", "Delacroix")]
INSTITUTIONS = [("鲁汶大学", "KU Leuven"), ("根特大学", "Ghent University"), ("华沙大学", "University of Warsaw"),
                ("开罗大学", "Cairo University"), ("圣保罗大学", "University of Sao Paulo"),
                ("内罗毕大学", "University of Nairobi"), ("乌普萨拉大学", "Uppsala University"),
                ("奥克兰大学", "University of Auckland"), ("拉各斯大学", "University of Lagos")]
COUNTRIES = [("尼日利亚", "Nigeria"), ("哈萨克斯坦", "Kazakhstan"), ("比利时", "Belgium"), ("巴西", "Brazil"),
             ("埃及", "Egypt"), ("波兰", "Poland"), ("肯尼亚", "Kenya"), ("乌兹别克斯坦", "Uzbekistan"),
             ("阿根廷", "Argentina"), ("新西兰", "New Zealand"), ("瑞典", "Sweden")]
CITIES = [("安特卫普", "Antwerp"), ("阿拉木图", "Almaty"), ("拉各斯", "Lagos"), ("克拉科夫", "Krakow"),
          ("蒙巴萨", "Mombasa"), ("撒马尔罕", "Samarkand"), ("哥德堡", "Gothenburg")]
SENTENCES = [
    ("{P}教授率{I}代表团访问我校，双方就联合培养进行了深入交流。",
     "Professor {P} led a delegation from {I} to our university to discuss joint training."),
    ("{C}驻华大使{P}会见校长，希望进一步加强与{C}高校的合作。",
     "The ambassador of {C} to China, {P}, met the president and hoped for closer cooperation."),
    ("会议期间，来自{C}和{C2}的学者介绍了在{X}开展的研究。",
     "During the meeting, scholars from {C} and {C2} presented research carried out in {X}."),
    ("{I}与我校签署合作协议，{P}出席签约仪式并致辞。",
     "{I} signed a cooperation agreement with our university; {P} attended the signing ceremony."),
    ("据悉，{C}是我校在该地区的重要合作伙伴，{P}表示将推动学生交流。",
     "{C} is an important partner of the university in the region, and {P} will promote student exchange."),
    ("本次活动在{X}举行，吸引了来自{C}的一百多名学生参加。",
     "The event was held in {X} and drew more than one hundred students from {C}."),
    ("{P}指出，双方在人工智能、材料科学和环境工程等领域具有广阔的合作前景。",
     "{P} said both sides had broad prospects in artificial intelligence, materials science and environmental engineering."),
    ("国际合作与交流处负责人陪同{P}参观了图书馆和国家重点实验室。",
     "The head of the international office accompanied {P} to the library and the state key laboratory."),
    ("双方同意在{X}设立联合研究中心，并每年互派教师和研究生。",
     "Both sides agreed to set up a joint research centre in {X} and to exchange teachers and graduate students every year."),
    ("{I}校长{P}回顾了两校三十年来的友好往来。",
     "The president of {I}, {P}, recalled thirty years of friendly exchanges between the two universities."),
]
TOPICS = [("联合培养", "joint training"), ("人工智能", "artificial intelligence"), ("材料科学", "materials science"),
          ("环境工程", "environmental engineering"), ("学生交流", "student exchange"), ("中文教育", "Chinese teaching"),
          ("医学研究", "medical research"), ("能源技术", "energy technology"), ("建筑设计", "architecture"),
          ("农业科技", "agricultural science")]
# Headlines are told apart by their words, as real ones are (not by a serial number, which Pagefind
# matches as a prefix of other numbers: 2 finds 21).
TITLES = [("{P}率{I}代表团来访洽谈{T}合作", "{P} leads a delegation from {I} to discuss {T}"),
          ("{I}与我校在{X}签署{T}合作协议", "{I} signs a {T} agreement with the university in {X}"),
          ("{C}驻华大使{P}访问我校并就{T}发表演讲", "Ambassador of {C} {P} visits the university and speaks on {T}"),
          ("{C}学生代表团在{X}参加{T}交流活动", "Students from {C} join {T} exchange events in {X}")]


def fill(rng, pair):
    values = {"P": rng.choice(PEOPLE), "I": rng.choice(INSTITUTIONS), "C": rng.choice(COUNTRIES),
              "C2": rng.choice(COUNTRIES), "X": rng.choice(CITIES), "T": rng.choice(TOPICS)}
    return tuple(pair[k].format(**{key: v[k] for key, v in values.items()}) for k in (0, 1))
