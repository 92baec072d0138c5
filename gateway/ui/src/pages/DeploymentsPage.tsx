import { Link, useParams } from 'react-router-dom';
import { Breadcrumb, Card } from 'antd';
import { api, type Page } from '../lib/api';
import type { Template } from '../lib/deploy';
import { useI18n } from '../lib/i18n';
import { useTitle } from '../lib/url';
import { useLoad } from '../lib/load';
import { DeploymentConsole } from './deploy/DeploymentConsole';
import { DeploymentTable } from './deploy/DeploymentTable';

/** Every deployment (filtered by node and status), and at `/deployments/:id` one deployment's console. */
export function DeploymentsPage() {
  const { t } = useI18n();
  useTitle(t('nav.deployments'));
  const { id } = useParams();
  const templates = useLoad(() => api<Page<Template>>('/api/deploy/templates?nodePath=/&size=500'), []);
  const names = new Map((templates.data?.items ?? []).map((tpl) => [tpl.id, tpl.name]));
  if (id) {
    return (
      <>
        <Breadcrumb style={{ marginBottom: 12 }} items={[{ title: <Link to="/deployments">{t('nav.deployments')}</Link> }, { title: `#${id}` }]} />
        <DeploymentConsole key={id} id={Number(id)} />
      </>
    );
  }
  return (
    <Card title={t('nav.deployments')}>
      <DeploymentTable nodePath="/" filters templates={names} />
    </Card>
  );
}
