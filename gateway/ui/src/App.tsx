import { useEffect, useState } from 'react';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Button, ConfigProvider, Layout, Menu, Space, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { logout, onSessionExpired } from './lib/api';
import { useI18n } from './lib/i18n';
import { loadSession } from './lib/session';
import { Login } from './pages/Login';
import { Home } from './pages/Home';
import { TreePage } from './pages/TreePage';

function Shell({ onSignOut }: { onSignOut: () => void }) {
  const { t, lang, setLang } = useI18n();
  const location = useLocation();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24 }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0 }}>{t('app.title')}</Typography.Title>
        <Menu theme="dark" mode="horizontal" selectedKeys={[location.pathname]} style={{ flex: 1 }}
          items={[{ key: '/', label: <Link to="/">{t('nav.home')}</Link> },
            { key: '/tree', label: <Link to="/tree" data-testid="nav-tree">{t('nav.tree')}</Link> }]} />
        <Space>
          <Button size="small" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')} data-testid="lang">{t('lang.switch')}</Button>
          <Button size="small" onClick={onSignOut} data-testid="sign-out">{t('auth.logout')}</Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <Routes>
          <Route path="/" element={<Home />} />
          <Route path="/tree" element={<TreePage />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
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
      <BrowserRouter>
        {signedIn ? <Shell onSignOut={signOut} /> : <Login notice={notice} onSignedIn={() => setSignedIn(true)} />}
      </BrowserRouter>
    </ConfigProvider>
  );
}
