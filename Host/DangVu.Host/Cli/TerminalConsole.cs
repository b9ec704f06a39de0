using System.Diagnostics;
using System.Globalization;
using DangVu.Core.Abstractions.Modules;
using Spectre.Console;

namespace DangVu.Host.Cli;

/// <summary>The terminal as a module's verb sees it: the host's conventions for output, errors, tables and progress.</summary>
internal sealed class TerminalConsole : ICommandConsole
{
    public void WriteLine(string text) => Console.Out.WriteLine(text);

    public void Note(string text) => CliAction.Note(text);

    public void Error(string messageVi, string messageEn) => CliAction.Error($"{messageVi} ({messageEn})");

    public void WriteTable(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table().AddColumns(headers.Select(Markup.Escape).ToArray());
        foreach (var row in rows)
        {
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }

        AnsiConsole.Write(table);
    }

    public ICommandProgress StartProgress() => new TerminalProgress(Console.Out, redraw: !Console.IsOutputRedirected);
}

/// <summary>
/// On a terminal one line redrawn in place (stage, bar, percentage, counts); piped into a file or
/// a script, a plain line when the stage changes and at most one a second, so that logs stay short.
/// </summary>
internal sealed class TerminalProgress(TextWriter output, bool redraw) : ICommandProgress
{
    private const int BarWidth = 30;
    private readonly Lock _lock = new();
    private readonly TimeSpan _interval = redraw ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1);
    private string? _stage;
    private long _shownAt;
    private int _width;

    public void Report(string stage, long done, long total)
    {
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            var newStage = stage != _stage;
            if (!newStage && (total == 0 || done < total) && Stopwatch.GetElapsedTime(_shownAt, now) < _interval)
            {
                return;
            }

            if (newStage && redraw && _stage is not null)
            {
                output.WriteLine(); // the finished stage keeps its line
                _width = 0;
            }

            _stage = stage;
            _shownAt = now;
            var line = Line(stage, done, total);
            if (redraw)
            {
                output.Write("\r" + line.PadRight(_width));
                _width = line.Length;
            }
            else
            {
                output.WriteLine(line);
            }

            output.Flush();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (redraw && _stage is not null)
            {
                output.WriteLine();
            }

            _stage = null;
        }
    }

    public static string Line(string stage, long done, long total)
    {
        var count = done.ToString(CultureInfo.InvariantCulture);
        if (total <= 0)
        {
            return $"{stage}: {count}";
        }

        var share = Math.Clamp((double)done / total, 0, 1);
        var filled = (int)Math.Round(share * BarWidth);
        return $"{stage}: [{new string('#', filled)}{new string('-', BarWidth - filled)}] {share * 100,3:0}% {count}/{total.ToString(CultureInfo.InvariantCulture)}";
    }
}
