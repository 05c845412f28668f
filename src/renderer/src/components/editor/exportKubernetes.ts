// The editor's "Export for Kubernetes": the manifest of what the editor shows, saved or not, made
// by the same pure function as templates.export's (src/shared/kubeManifest.ts).
import { kubernetesManifestFile } from '../../../../shared/kubeManifest';
import { TemplateSpecChecked } from '../../../../shared/template';
import { downloadText } from '../selection/download';
import { useApp } from '../../store/app';

export function exportKubernetes(doc: unknown): void {
  const { toast } = useApp.getState();
  if (doc === undefined) return toast('error', 'Fix the YAML before exporting: it does not parse.');
  const parsed = TemplateSpecChecked.safeParse(doc);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return toast('error', `Fix the template before exporting: ${first?.path.length ? `${first.path.join('.')}: ` : ''}${first?.message ?? 'it is not valid'}`);
  }
  const file = kubernetesManifestFile(parsed.data);
  downloadText(file.filename, file.content, 'application/yaml');
  toast('success', `Exported ${file.filename}`);
}
