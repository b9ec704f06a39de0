using System.CommandLine;

namespace DangVu.Host.Cli;

/// <summary>The <c>import &lt;csv&gt;</c> verb of a group: a UTF-8 file handed to an importer that checks every row first.</summary>
internal static class CsvImportCommand
{
    /// <summary><paramref name="import"/> returns the line to print when the file was taken.</summary>
    public static Command Create(string description, string csvDescription, Func<IServiceProvider, TextReader, CancellationToken, Task<string>> import)
    {
        var file = new Argument<string>("csv") { Description = csvDescription };
        var command = new Command("import", description) { file };
        CliAction.Set(command, (parse, cancellationToken) => DangVuCli.WithServicesAsync(parse, cancellationToken, async services =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new CliException($"Không tìm thấy tệp {path} (file not found)");
            }

            using var reader = new StreamReader(path, System.Text.Encoding.UTF8);
            Spectre.Console.AnsiConsole.MarkupLine(await import(services, reader, cancellationToken));
            return CliAction.Ok;
        }));
        return command;
    }
}
