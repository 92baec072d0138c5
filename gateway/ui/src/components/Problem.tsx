import { Alert, Button } from 'antd';
import { ApiError } from '../lib/api';
import { useI18n } from '../lib/i18n';

/** Shows an API failure as its problem+json title and detail; with {@code onRetry}, a button that asks again. */
export function Problem({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) {
    return null;
  }
  const title = error instanceof ApiError ? error.title : t('error.title');
  const detail = error instanceof ApiError ? error.detail : String(error);
  return <Alert type="error" showIcon title={title} description={detail} data-testid="problem"
    action={onRetry && <Button size="small" onClick={onRetry} data-testid="problem-retry">{t('error.retry')}</Button>} />;
}
