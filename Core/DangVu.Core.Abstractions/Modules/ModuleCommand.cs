namespace DangVu.Core.Abstractions.Modules;

/// <summary>
/// A verb a module adds to the command line, run as <c>dangvu &lt;module-id&gt; &lt;name&gt; …</c>
/// against the installation's services, as the administrator at the server (declared with
/// <see cref="IModuleBuilder.AddCommand{THandler}"/>). Declarative, so that modules do not depend
/// on the host's command-line library.
/// </summary>
/// <param name="Name">The verb, such as <c>import</c>.</param>
/// <param name="DescriptionVi">What it does, in Vietnamese.</param>
/// <param name="DescriptionEn">What it does, in English.</param>
public sealed record ModuleCommand(string Name, string DescriptionVi, string DescriptionEn)
{
    /// <summary>Positional arguments, all required, in order.</summary>
    public IReadOnlyList<ModuleCommandArgument> Arguments { get; init; } = [];

    public IReadOnlyList<ModuleCommandOption> Options { get; init; } = [];
}

/// <summary>A positional argument of a <see cref="ModuleCommand"/>; its value is read by <see cref="Name"/>.</summary>
public sealed record ModuleCommandArgument(string Name, string DescriptionVi, string DescriptionEn);

/// <summary>An option of a <see cref="ModuleCommand"/>, <c>--name value</c>; its value is read by <see cref="Name"/> (without dashes).</summary>
/// <param name="Alias">A short form such as <c>-o</c>.</param>
/// <param name="AllowedValues">When given, any other value is refused before the handler runs.</param>
public sealed record ModuleCommandOption(
    string Name,
    string DescriptionVi,
    string DescriptionEn,
    bool Required = false,
    string? Alias = null,
    IReadOnlyList<string>? AllowedValues = null);

/// <summary>Runs a <see cref="ModuleCommand"/>; resolved from a scope of its own. A <c>DangVuException</c> becomes the error message and exit code 1.</summary>
public interface IModuleCommandHandler
{
    /// <summary>Returns the process exit code: 0 for success.</summary>
    Task<int> RunAsync(ModuleCommandInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>The values given on the command line and the terminal to talk to.</summary>
public sealed class ModuleCommandInvocation(IReadOnlyDictionary<string, string?> values, ICommandConsole console)
{
    /// <summary>The value of an argument or option by name, or null when an option was not given.</summary>
    public string? this[string name] => values.GetValueOrDefault(name);

    public ICommandConsole Console { get; } = console;
}

/// <summary>The terminal of a module's verb: data on standard output, notes and errors on standard error.</summary>
public interface ICommandConsole
{
    /// <summary>A line of standard output (what scripts read).</summary>
    void WriteLine(string text);

    /// <summary>A note for the person, on standard error.</summary>
    void Note(string text);

    /// <summary>An error, on standard error, marked as one.</summary>
    void Error(string messageVi, string messageEn);

    /// <summary>A table on standard output.</summary>
    void WriteTable(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows);

    /// <summary>A progress display: one redrawn line on a terminal, periodic lines otherwise; ended on dispose.</summary>
    ICommandProgress StartProgress();
}

/// <summary>Progress of a long verb, reported as often as convenient (the console throttles).</summary>
public interface ICommandProgress : IDisposable
{
    /// <param name="stage">What is being done, Vietnamese (English), such as "Đang ghi (writing)".</param>
    /// <param name="done">Items done so far.</param>
    /// <param name="total">Items in all, or 0 while unknown.</param>
    void Report(string stage, long done, long total);
}
