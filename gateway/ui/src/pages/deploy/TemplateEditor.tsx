import { Alert, Button, Card, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Switch, Typography } from 'antd';
import { api } from '../../lib/api';
import { useApiForm } from '../../lib/actions';
import { newTemplateForm, TEMPLATE_TYPES, toTemplateBody, toTemplateForm, type Template, type TemplateForm } from '../../lib/deploy';
import { useI18n } from '../../lib/i18n';
import { Problem } from '../../components/Problem';

const MONO = { fontFamily: 'monospace' };

/**
 * Creates a template on a node or saves a new revision of one. Every field the API names in a 400 shows
 * its message under that field (a step's, the batch's, the gate's); the rest is listed above the form.
 */
export function TemplateEditor({ template, nodePath, onClose, onSaved }: {
  template: Template | 'new'; nodePath: string; onClose: () => void; onSaved: (t: Template) => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<TemplateForm>();
  const { error, unplaced, saving, submit } = useApiForm(form, { nested: true });
  const creating = template === 'new';
  const type = Form.useWatch('type', form);
  const gated = Form.useWatch('gated', form);

  const save = (values: TemplateForm) => submit(values, async () => onSaved(await api<Template>(
    creating ? '/api/deploy/templates' : `/api/deploy/templates/${template.id}`,
    { method: creating ? 'POST' : 'PUT', body: JSON.stringify(toTemplateBody(values)) })));

  const item = (name: (string | number)[], label: string, input: React.ReactNode, flex = 1) => (
    <Form.Item name={name} label={label} style={{ flex, marginBottom: 12 }}>{input}</Form.Item>
  );
  const testId = (name: string) => ({ 'data-testid': `template-${name}` });

  return (
    <Modal open width={920} title={creating ? t('deploy.newTemplate') : `${template.name} · ${t('deploy.revision')} ${template.revision}`}
      onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')}
      okButtonProps={{ loading: saving, 'data-testid': 'template-save' } as never} destroyOnHidden>
      <Problem error={error} />
      {unplaced.length > 0 && <Alert type="warning" style={{ marginTop: 8 }} title={unplaced.join('; ')} data-testid="template-unplaced" />}
      <Form form={form} layout="vertical" onFinish={save} initialValues={creating ? newTemplateForm(nodePath) : toTemplateForm(template)}
        style={{ marginTop: 12 }} data-testid="template-form">
        <Space.Compact block style={{ gap: 12 }}>
          {item(['name'], t('deploy.name'), <Input {...testId('name')} />, 2)}
          {item(['nodePath'], t('tree.node'), <Input {...testId('nodePath')} />, 2)}
          {item(['type'], t('tree.type'), <Select options={TEMPLATE_TYPES.map((v) => ({ value: v, label: v }))} {...testId('type')} />)}
          {item(['runUser'], t('deploy.runUser'), <Input placeholder={t('deploy.runUserHint')} />)}
        </Space.Compact>

        {type === 'java' && (
          <Card size="small" title={t('deploy.javaPackage')} style={{ marginBottom: 12 }}>
            <Space.Compact block style={{ gap: 12 }}>
              {item(['java', 'packageUrl'], t('deploy.packageUrl'), <Input placeholder="https://repo/app-${version}.jar" />, 3)}
              {item(['java', 'installDir'], t('deploy.installDir'), <Input placeholder="~/app" />)}
            </Space.Compact>
            <Space.Compact block style={{ gap: 12 }}>
              {item(['java', 'stopCommand'], t('deploy.stopCommand'), <Input style={MONO} />)}
              {item(['java', 'startCommand'], t('deploy.startCommand'), <Input style={MONO} />)}
            </Space.Compact>
          </Card>
        )}
        {type === 'nginx' && (
          <Card size="small" title={t('deploy.nginx')} style={{ marginBottom: 12 }}>
            <Space.Compact block style={{ gap: 12 }}>
              {item(['nginx', 'upstream'], t('deploy.upstream'), <Input placeholder="app" />)}
              {item(['nginx', 'configPath'], t('deploy.configPath'), <Input placeholder="/etc/nginx/conf.d/app-upstream.conf" />, 2)}
              {item(['nginx', 'port'], t('deploy.port'), <InputNumber min={1} max={65535} style={{ width: '100%' }} />)}
              {item(['nginx', 'upstreamNode'], t('deploy.upstreamNode'), <Input placeholder={nodePath} />)}
            </Space.Compact>
            <Space.Compact block style={{ gap: 12 }}>
              {item(['nginx', 'testCommand'], t('deploy.testCommand'), <Input style={MONO} placeholder="nginx -t" />)}
              {item(['nginx', 'reloadCommand'], t('deploy.reloadCommand'), <Input style={MONO} placeholder="nginx -s reload" />)}
            </Space.Compact>
          </Card>
        )}

        <Typography.Text strong>{t('deploy.steps')}</Typography.Text>
        <Form.List name="steps">
          {(fields, { add, remove, move }) => (
            <div data-testid="template-steps" style={{ marginTop: 8 }}>
              {fields.map((field, i) => (
                <Row key={field.key} gutter={8} align="top">
                  <Col span={5}>
                    <Form.Item name={[field.name, 'name']} style={{ marginBottom: 8 }}>
                      <Input placeholder={t('deploy.stepName')} data-testid={`step-name-${i}`} />
                    </Form.Item>
                  </Col>
                  <Col span={13}>
                    <Form.Item name={[field.name, 'command']} style={{ marginBottom: 8 }}>
                      <Input.TextArea autoSize={{ minRows: 1, maxRows: 8 }} style={MONO} placeholder={t('deploy.command')}
                        data-testid={`step-command-${i}`} />
                    </Form.Item>
                  </Col>
                  <Col span={3}>
                    <Form.Item name={[field.name, 'timeoutSeconds']} style={{ marginBottom: 8 }}>
                      <InputNumber min={1} placeholder="300" suffix="s" style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col span={3}>
                    <Space.Compact>
                      <Button disabled={i === 0} onClick={() => move(i, i - 1)} aria-label={t('deploy.up')}>↑</Button>
                      <Button danger onClick={() => remove(field.name)} aria-label={t('deploy.removeStep')}>×</Button>
                    </Space.Compact>
                  </Col>
                </Row>
              ))}
              <Button onClick={() => add({ name: '', command: '' })} data-testid="step-add" style={{ marginBottom: 12 }}>{t('deploy.addStep')}</Button>
            </div>
          )}
        </Form.List>

        <Card size="small" title={t('deploy.batches')} style={{ marginBottom: 12 }}>
          <Space.Compact block style={{ gap: 12 }}>
            {item(['batch', 'ramp'], t('deploy.ramp'), <Input placeholder="1 10% 50% 100%" {...testId('ramp')} />, 2)}
            {item(['batch', 'size'], t('deploy.size'), <InputNumber style={{ width: '100%' }} {...testId('size')} />)}
            {item(['batch', 'perIdcConcurrency'], t('deploy.perIdc'), <InputNumber style={{ width: '100%' }} />)}
            {item(['batch', 'maxUnavailable'], t('deploy.maxUnavailable'), <Input placeholder="25%" />)}
          </Space.Compact>
          <Space.Compact block style={{ gap: 12 }}>
            {item(['batch', 'maxFailures'], t('deploy.maxFailures'), <Input placeholder="0" {...testId('maxFailures')} />)}
            {item(['batch', 'onFailure'], t('deploy.onFailure'), <Select options={['pause', 'abort'].map((v) => ({ value: v, label: v }))} />)}
            <Form.Item name={['batch', 'pauseAfterFirstBatch']} label={t('deploy.pauseFirst')} valuePropName="checked" style={{ flex: 1 }}><Switch /></Form.Item>
            <Form.Item name="drain" label={t('deploy.drain')} valuePropName="checked" style={{ flex: 1 }}><Switch /></Form.Item>
            <Form.Item name="requireApproval" label={t('deploy.requireApproval')} valuePropName="checked" style={{ flex: 1 }}><Switch /></Form.Item>
          </Space.Compact>
        </Card>

        <Card size="small" title={t('deploy.healthAndGate')} style={{ marginBottom: 12 }}>
          <Space.Compact block style={{ gap: 12 }}>
            {item(['healthCheck', 'command'], t('deploy.healthCommand'), <Input style={MONO} />, 2)}
            {item(['healthCheck', 'url'], t('deploy.healthUrl'), <Input placeholder="http://localhost:8080/health" />, 2)}
            {item(['healthCheck', 'retries'], t('deploy.retries'), <InputNumber min={0} style={{ width: '100%' }} />)}
            {item(['healthCheck', 'intervalSeconds'], t('deploy.interval'), <InputNumber min={1} style={{ width: '100%' }} />)}
          </Space.Compact>
          <Space.Compact block style={{ gap: 12 }}>
            <Form.Item name="gated" label={t('deploy.gate')} valuePropName="checked" style={{ flex: 1 }}><Switch /></Form.Item>
            {gated && item(['gate', 'minAvailability'], t('deploy.minAvailability'), <InputNumber min={0} max={100} suffix="%" style={{ width: '100%' }} />)}
            {gated && item(['gate', 'bakeSeconds'], t('deploy.bake'), <InputNumber min={0} suffix="s" style={{ width: '100%' }} />)}
          </Space.Compact>
        </Card>

        <Form.Item name="parameters" label={t('deploy.parameters')} extra={t('deploy.parametersHint')}>
          <Input.TextArea rows={3} style={MONO} placeholder={'greeting=hello'} {...testId('parameters')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
