using DangVu.Contracts.Core.V1;

namespace DangVu.Core.Modules;

/// <summary>
/// Orders modules so that each comes after the modules it depends on. A module whose
/// dependency is absent, disabled or failed fails too; modules in a cycle fail with the cycle named.
/// </summary>
internal static class DependencyOrder
{
    public static List<ModuleEntry> Sort(IReadOnlyList<ModuleEntry> entries)
    {
        var byId = entries.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var ordered = new List<ModuleEntry>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();

        foreach (var entry in entries)
        {
            Visit(entry);
        }

        return ordered;

        void Visit(ModuleEntry entry)
        {
            if (done.Contains(entry.Id))
            {
                return;
            }

            var cycleStart = path.IndexOf(entry.Id);
            if (cycleStart >= 0)
            {
                var cycle = string.Join(" → ", path.Skip(cycleStart).Append(entry.Id));
                foreach (var id in path.Skip(cycleStart))
                {
                    byId[id].MarkFailed(
                        $"các mô-đun phụ thuộc vòng tròn: {cycle}; hãy bỏ một phụ thuộc trong module.json (dependency cycle: {cycle}; remove one of these dependencies)");
                }

                return;
            }

            path.Add(entry.Id);
            foreach (var dependency in entry.Manifest?.Dependencies ?? [])
            {
                if (!byId.TryGetValue(dependency, out var target))
                {
                    Fail(entry, $"cần mô-đun '{dependency}' nhưng mô-đun này chưa được cài; hãy cài nó trước (needs module '{dependency}', which is not installed; install it first)");
                    continue;
                }

                Visit(target);
                if (target.State == ModuleState.Disabled)
                {
                    Fail(entry, $"cần mô-đun '{dependency}' nhưng mô-đun đó đang tắt; hãy bật nó (needs module '{dependency}', which is disabled; enable it)");
                }
                else if (target.State == ModuleState.Failed && entry.State != ModuleState.Failed)
                {
                    Fail(entry, $"cần mô-đun '{dependency}' nhưng mô-đun đó bị lỗi (needs module '{dependency}', which failed): {target.Reason}");
                }
            }

            path.RemoveAt(path.Count - 1);
            done.Add(entry.Id);
            ordered.Add(entry);
        }
    }

    private static void Fail(ModuleEntry entry, string reason)
    {
        if (entry.State is ModuleState.Unspecified)
        {
            entry.MarkFailed(reason);
        }
    }
}
