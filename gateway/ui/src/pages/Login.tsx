import { useState } from 'react';
import { Button, Card, Form, Input } from 'antd';
import { login } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { Problem } from '../components/Problem';

/** Sign in; wrong passwords and throttling show the API's own message. */
export function Login({ onSignedIn, notice }: { onSignedIn: () => void; notice?: string }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await login(values.username, values.password);
      onSignedIn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: '12vh' }}>
      <Card title={t('app.title')} style={{ width: 360 }} data-testid="login">
        {notice && <p>{notice}</p>}
        <Form layout="vertical" onFinish={submit}>
          <Form.Item label={t('auth.username')} name="username" rules={[{ required: true }]}>
            <Input autoComplete="username" data-testid="username" />
          </Form.Item>
          <Form.Item label={t('auth.password')} name="password" rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" data-testid="password" />
          </Form.Item>
          <Problem error={error} />
          <Button type="primary" htmlType="submit" loading={busy} block style={{ marginTop: 12 }} data-testid="sign-in">
            {t('auth.login')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
