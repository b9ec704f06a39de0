using System.Text.Json;

namespace DangVu.Core.Modules;

/// <summary>Which installed modules an administrator has disabled; kept in the data folder.</summary>
internal sealed class ModuleStateStore(string path)
{
    public IReadOnlySet<string> Disabled => Read().Disabled.ToHashSet(StringComparer.Ordinal);

    public void SetEnabled(string moduleId, bool enabled)
    {
        var state = Read();
        var disabled = state.Disabled.ToHashSet(StringComparer.Ordinal);
        if (enabled)
        {
            disabled.Remove(moduleId);
        }
        else
        {
            disabled.Add(moduleId);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new State { Disabled = disabled.Order(StringComparer.Ordinal).ToList() }));
        File.Move(temporary, path, overwrite: true);
    }

    private State Read()
    {
        if (!File.Exists(path))
        {
            return new State();
        }

        try
        {
            return JsonSerializer.Deserialize<State>(File.ReadAllText(path)) ?? new State();
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException(
                $"Tệp trạng thái mô-đun {path} bị hỏng: {ex.Message}; hãy sửa hoặc xóa tệp (the module state file is corrupt; fix or delete it)", ex);
        }
    }

    private sealed class State
    {
        public List<string> Disabled { get; set; } = [];
    }
}
