import { createContext, useContext, useState, type ReactNode } from 'react';

export type Lang = 'en' | 'zh-CN';

const en = {
  'app.title': 'Loki',
  'nav.home': 'Dashboard',
  'nav.tree': 'Service tree',
  'nav.assets': 'Assets',
  'nav.domains': 'Domains',
  'nav.explorer': 'Metric explorer',
  'nav.privileges': 'Privileges',
  'auth.username': 'User name',
  'auth.password': 'Password',
  'auth.login': 'Sign in',
  'auth.logout': 'Sign out',
  'auth.expired': 'Your session has ended; please sign in again.',
  'home.range': 'Time range',
  'home.cpu': 'Company CPU usage (resource-pool servers excluded)',
  'home.resources': 'Resource usage per product line',
  'home.domains': 'Domains: availability and bandwidth',
  'home.lines': 'Product lines: availability and response time',
  'home.summary': '{days}-day averages',
  'home.hosts': '{hosts} servers, {pool} in the pool left out',
  'fig.availability': 'Availability',
  'fig.responseTime': 'Response time (ms)',
  'fig.bandwidth': 'Bandwidth (bytes/s)',
  'fig.qps': 'Requests per second',
  'fig.cpu': 'CPU %',
  'fig.mem': 'Memory %',
  'fig.disk': 'Disk %',
  'empty.noUrls': 'No URL is bound to this product line: bind one in the service tree to see its availability.',
  'empty.noData': 'No data in this time range yet. Collectors write through POST /api/monitor/put.',
  'empty.noLines': 'No product lines yet: create nodes two levels below the root in the service tree (e.g. /corp/search).',
  'error.title': 'Something went wrong',
  'lang.switch': '中文',
  'tree.search': 'Path (/corp/search) or hostname',
  'tree.notBound': 'this server is bound to no node',
  'tree.pick': 'Pick a node in the tree, or search by path or hostname.',
  'tree.type': 'Type',
  'tree.delete': 'Delete',
  'tree.deleteConfirm': 'Delete this node?',
  'tree.deleted': 'Deleted (or proposed for review)',
  'tree.childName': 'New child name',
  'tree.create': 'Create',
  'tree.created': 'Created (or proposed for review)',
  'tree.servers': 'Servers (this node and below)',
  'tree.noServers': 'No server is bound here: bind servers to see their performance.',
  'tree.node': 'Node',
  'tree.ratio': 'Traffic ratio',
  'tree.offline': 'Offline',
  'tree.urls': 'URLs (this node and below)',
  'tree.pending': 'Pending changes',
  'tree.noPending': 'No change waits for review here.',
  'tree.approve': 'Approve',
  'tree.approved': 'Approved and applied',
  'tree.reject': 'Reject',
  'tree.rejected': 'Rejected',
  'tree.impact': 'affects {nodes} nodes below, {servers} servers, {urls} URLs',
} as const;

export type Key = keyof typeof en;

const zh: Record<Key, string> = {
  'app.title': 'Loki',
  'nav.home': '总览',
  'nav.tree': '服务树',
  'nav.assets': '资产',
  'nav.domains': '域名',
  'nav.explorer': '指标查询',
  'nav.privileges': '权限',
  'auth.username': '用户名',
  'auth.password': '密码',
  'auth.login': '登录',
  'auth.logout': '退出',
  'auth.expired': '会话已结束，请重新登录。',
  'home.range': '时间范围',
  'home.cpu': '公司整体 CPU 使用率（不含资源池服务器）',
  'home.resources': '各产品线资源使用率',
  'home.domains': '域名：可用性与带宽',
  'home.lines': '产品线：可用性与响应时间',
  'home.summary': '{days} 天平均',
  'home.hosts': '{hosts} 台服务器，已排除资源池 {pool} 台',
  'fig.availability': '可用性',
  'fig.responseTime': '响应时间（毫秒）',
  'fig.bandwidth': '带宽（字节/秒）',
  'fig.qps': '每秒请求数',
  'fig.cpu': 'CPU %',
  'fig.mem': '内存 %',
  'fig.disk': '磁盘 %',
  'empty.noUrls': '该产品线未绑定 URL：请在服务树中绑定 URL 以查看可用性。',
  'empty.noData': '该时间范围内暂无数据。采集器通过 POST /api/monitor/put 写入。',
  'empty.noLines': '暂无产品线：请在服务树根节点下两级创建节点（如 /corp/search）。',
  'error.title': '出错了',
  'lang.switch': 'English',
  'tree.search': '路径（/corp/search）或主机名',
  'tree.notBound': '该服务器未绑定到任何节点',
  'tree.pick': '在左侧选择节点，或按路径、主机名搜索。',
  'tree.type': '类型',
  'tree.delete': '删除',
  'tree.deleteConfirm': '删除该节点？',
  'tree.deleted': '已删除（或已提交审核）',
  'tree.childName': '新子节点名称',
  'tree.create': '创建',
  'tree.created': '已创建（或已提交审核）',
  'tree.servers': '服务器（含下级节点）',
  'tree.noServers': '此处未绑定服务器：绑定服务器后可查看其性能。',
  'tree.node': '节点',
  'tree.ratio': '流量比例',
  'tree.offline': '下线',
  'tree.urls': 'URL（含下级节点）',
  'tree.pending': '待审核变更',
  'tree.noPending': '此处没有待审核的变更。',
  'tree.approve': '批准',
  'tree.approved': '已批准并执行',
  'tree.reject': '驳回',
  'tree.rejected': '已驳回',
  'tree.impact': '影响下级 {nodes} 个节点、{servers} 台服务器、{urls} 个 URL',
};

const dictionaries: Record<Lang, Record<Key, string>> = { en, 'zh-CN': zh };

/** The text for {@code key} in {@code lang}, with {name} placeholders filled. */
export function translate(lang: Lang, key: Key, vars: Record<string, string | number> = {}): string {
  const text = dictionaries[lang][key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

export function initialLang(stored: string | null, browser: string | undefined): Lang {
  if (stored === 'en' || stored === 'zh-CN') {
    return stored;
  }
  return browser?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: Key, vars?: Record<string, string | number>) => string;
}

const Context = createContext<I18n>({ lang: 'en', setLang: () => {}, t: (key, vars) => translate('en', key, vars) });

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => initialLang(localStorage.getItem('loki.lang'), navigator.language));
  const setLang = (next: Lang) => {
    localStorage.setItem('loki.lang', next);
    setLangState(next);
  };
  return <Context.Provider value={{ lang, setLang, t: (key, vars) => translate(lang, key, vars) }}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  return useContext(Context);
}
