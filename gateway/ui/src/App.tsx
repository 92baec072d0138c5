import { lazy, Suspense, useEffect, useState } from 'react';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { App as AntApp, Badge, Button, ConfigProvider, Layout, Menu, Space, Spin, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { logout, onSessionExpired } from './lib/api';
import { firingUnder, SEVERITY_BADGE, useFiringSummary } from './lib/alarms';
import { useI18n, type Key } from './lib/i18n';
import { loadSession } from './lib/session';
import { Login } from './pages/Login';

// Each page is its own chunk, loaded when first opened (the charts library only with the pages that draw).
const Home = lazy(() => import('./pages/Home').then((m) => ({ default: m.Home })));
const TreePage = lazy(() => import('./pages/TreePage').then((m) => ({ default: m.TreePage })));
const AssetsPage = lazy(() => import('./pages/AssetsPage').then((m) => ({ default: m.AssetsPage })));
const DomainsPage = lazy(() => import('./pages/DomainsPage').then((m) => ({ default: m.DomainsPage })));
const ExplorerPage = lazy(() => import('./pages/ExplorerPage').then((m) => ({ default: m.ExplorerPage })));
const DeploymentsPage = lazy(() => import('./pages/DeploymentsPage').then((m) => ({ default: m.DeploymentsPage })));
const AlarmsPage = lazy(() => import('./pages/AlarmsPage').then((m) => ({ default: m.AlarmsPage })));
const PrivilegesPage = lazy(() => import('./pages/PrivilegesPage').then((m) => ({ default: m.PrivilegesPage })));

const PAGES: { path: string; label: Key; testId: string }[] = [
  { path: '/', label: 'nav.home', testId: 'nav-home' },
  { path: '/tree', label: 'nav.tree', testId: 'nav-tree' },
  { path: '/assets', label: 'nav.assets', testId: 'nav-assets' },
  { path: '/deployments', label: 'nav.deployments', testId: 'nav-deployments' },
  { path: '/alarms', label: 'nav.alarms', testId: 'nav-alarms' },
  { path: '/domains', label: 'nav.domains', testId: 'nav-domains' },
  { path: '/explorer', label: 'nav.explorer', testId: 'nav-explorer' },
  { path: '/privileges', label: 'nav.privileges', testId: 'nav-privileges' },
];

function Shell({ onSignOut }: { onSignOut: () => void }) {
  const { t, lang, setLang } = useI18n();
  const location = useLocation();
  const firing = firingUnder(useFiringSummary(), '/');
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24 }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0 }}>{t('app.title')}</Typography.Title>
        <Menu theme="dark" mode="horizontal" selectedKeys={[PAGES.find((p) => p.path !== '/' && location.pathname.startsWith(p.path))?.path ?? location.pathname]} style={{ flex: 1, minWidth: 0 }}
          items={PAGES.map((p) => ({ key: p.path, label: (
            <Link to={p.path} data-testid={p.testId}>{t(p.label)}{p.path === '/alarms' && firing.count > 0 && (
              <Badge count={firing.count} size="small" color={SEVERITY_BADGE[firing.severity ?? 'info']} offset={[6, -2]} data-testid="alarm-badge"
                title={t('alarm.firingCount', { n: firing.count })} />)}</Link>) }))} />
        <Space>
          <Button size="small" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')} data-testid="lang">{t('lang.switch')}</Button>
          <Button size="small" onClick={onSignOut} data-testid="sign-out">{t('auth.logout')}</Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <Suspense fallback={<Spin size="large" style={{ display: 'block', marginTop: 120 }} />}>
          <Routes>
            <Route path="/" element={<Home />} />
            <Route path="/tree" element={<TreePage />} />
            <Route path="/assets" element={<AssetsPage />} />
            <Route path="/deployments" element={<DeploymentsPage />} />
            <Route path="/deployments/:id" element={<DeploymentsPage />} />
            <Route path="/alarms" element={<AlarmsPage />} />
            <Route path="/domains" element={<DomainsPage />} />
            <Route path="/explorer" element={<ExplorerPage />} />
            <Route path="/privileges" element={<PrivilegesPage />} />
            <Route path="*" element={<Navigate to="/" replace />} />
          </Routes>
        </Suspense>
      </Layout.Content>
    </Layout>
  );
}

export function App() {
  const { t, lang } = useI18n();
  const [signedIn, setSignedIn] = useState(() => loadSession() !== null);
  const [notice, setNotice] = useState<string | undefined>();

  useEffect(() => onSessionExpired(() => {
    setNotice(t('auth.expired'));
    setSignedIn(false);
  }), [t]);

  const signOut = async () => {
    await logout();
    setNotice(undefined);
    setSignedIn(false);
  };

  return (
    <ConfigProvider locale={lang === 'zh-CN' ? zhCN : enUS}>
      <AntApp>
        <BrowserRouter>
          {signedIn ? <Shell onSignOut={signOut} /> : <Login notice={notice} onSignedIn={() => setSignedIn(true)} />}
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}
