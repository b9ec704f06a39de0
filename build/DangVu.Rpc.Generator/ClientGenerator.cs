using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace DangVu.Rpc.Generator;

/// <summary>
/// Emits a sealed typed client (<c>XxxClient</c>, in the proto's C# namespace) for every
/// <c>service</c> of the .proto files given as AdditionalFiles, on DangVu's CallInvoker. Message
/// types resolve to the classes protoc generates for the same files (or google.protobuf's
/// well-known types); a type it cannot resolve is an error naming the file, rpc and type.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ClientGenerator : IIncrementalGenerator
{
    internal static readonly DiagnosticDescriptor UnresolvedType = new(
        "DVRPC001",
        "Unresolved message type",
        "Không tìm thấy kiểu '{2}' của rpc '{1}' trong {0} (cannot resolve message type '{2}' of rpc '{1}' in {0}; "
        + "only messages of the .proto files given as AdditionalFiles and google.protobuf well-known types are known)",
        "DangVu.Rpc",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    internal static readonly DiagnosticDescriptor SyntaxError = new(
        "DVRPC002",
        "Unreadable .proto file",
        "Không đọc được {0} (cannot read {0}): {1}",
        "DangVu.Rpc",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    private const string Abstractions = "global::DangVu.Core.Abstractions.Rpc.";

    private static readonly HashSet<string> WellKnownTypes = new(StringComparer.Ordinal)
    {
        "Any", "Api", "BoolValue", "BytesValue", "DoubleValue", "Duration", "Empty", "Enum", "EnumValue", "Field",
        "FieldMask", "FloatValue", "Int32Value", "Int64Value", "ListValue", "Method", "Mixin", "Option",
        "SourceContext", "StringValue", "Struct", "Timestamp", "Type", "UInt32Value", "UInt64Value", "Value",
    };

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(".proto", StringComparison.OrdinalIgnoreCase))
            .Select(static (text, cancellationToken) => Read(text.Path, text.GetText(cancellationToken)?.ToString() ?? ""))
            .Collect();
        context.RegisterSourceOutput(files, static (output, parsed) => Emit(output, parsed));
    }

    private static ParsedProto Read(string path, string text)
    {
        try
        {
            return new ParsedProto(path, ProtoParser.Parse(path, text), null, 0);
        }
        catch (ProtoSyntaxException e)
        {
            return new ParsedProto(path, null, e.Message, e.Line);
        }
    }

    private static void Emit(SourceProductionContext output, ImmutableArray<ParsedProto> parsed)
    {
        // Every known message by full proto name → its C# type, across all the files given.
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in parsed.Select(p => p.File).OfType<ProtoFile>())
        {
            foreach (var type in file.Types)
            {
                types[type.Key] = "global::" + file.Namespace + "." + type.Value;
            }
        }

        var hints = new HashSet<string>(StringComparer.Ordinal);
        foreach (var proto in parsed)
        {
            if (proto.File is not { } file)
            {
                output.ReportDiagnostic(Diagnostic.Create(SyntaxError, LocationOf(proto.Path, proto.ErrorLine), proto.Path, $"line {proto.ErrorLine}: {proto.Error}"));
                continue;
            }

            foreach (var service in file.Services)
            {
                var source = EmitClient(output, file, service, types);
                if (source is null)
                {
                    continue;
                }

                var hint = file.Namespace + "." + service.Name + "Client";
                for (var n = 2; !hints.Add(hint); n++)
                {
                    hint = file.Namespace + "." + service.Name + "Client" + n;
                }

                output.AddSource(hint + ".g.cs", SourceText.From(source, Encoding.UTF8));
            }
        }
    }

    private static string? EmitClient(SourceProductionContext output, ProtoFile file, ProtoService service, Dictionary<string, string> types)
    {
        var resolved = new List<(ProtoRpc Rpc, string Request, string Response)>();
        var failed = false;
        foreach (var rpc in service.Rpcs)
        {
            var request = Resolve(file.Package, rpc.RequestType, types);
            var response = Resolve(file.Package, rpc.ResponseType, types);
            foreach (var (name, type) in new[] { (rpc.RequestType, request), (rpc.ResponseType, response) })
            {
                if (type is null)
                {
                    output.ReportDiagnostic(Diagnostic.Create(UnresolvedType, LocationOf(file.Path, rpc.Line), file.Path, service.Name + "." + rpc.Name, name));
                    failed = true;
                }
            }

            resolved.Add((rpc, request!, response!));
        }

        if (failed)
        {
            return null;
        }

        var fullName = file.Package.Length == 0 ? service.Name : file.Package + "." + service.Name;
        var client = service.Name + "Client";
        var s = new StringBuilder();
        s.AppendLine("// <auto-generated> DangVu.Rpc.Generator from " + FileName(file.Path) + " </auto-generated>");
        s.AppendLine("#nullable enable");
        s.AppendLine();
        s.AppendLine("namespace " + file.Namespace);
        s.AppendLine("{");
        s.AppendLine("    /// <summary>");
        s.AppendLine("    /// Typed client of <c>" + fullName + "</c>, over any " + Cref("CallInvoker") + " (a GrpcChannel, or the");
        s.AppendLine("    /// in-process invoker); methods and message types are checked against the service descriptor.");
        s.AppendLine("    /// </summary>");
        s.AppendLine("    [global::System.CodeDom.Compiler.GeneratedCode(\"DangVu.Rpc.Generator\", \"1.0\")]");
        s.AppendLine("    public sealed partial class " + client);
        s.AppendLine("    {");
        s.AppendLine("        public " + client + "(" + Abstractions + "CallInvoker invoker)");
        s.AppendLine("        {");
        s.AppendLine("            Invoker = invoker ?? throw new global::System.ArgumentNullException(nameof(invoker));");
        s.AppendLine("        }");
        s.AppendLine();
        s.AppendLine("        /// <summary>The service as protoc's generated code describes it.</summary>");
        s.AppendLine("        public static global::Google.Protobuf.Reflection.ServiceDescriptor Descriptor { get; } =");
        s.AppendLine("            " + Abstractions + "RpcContract.Service(global::" + file.Namespace + "." + file.ReflectionClass + ".Descriptor, \"" + service.Name + "\");");
        s.AppendLine();
        s.AppendLine("        public " + Abstractions + "CallInvoker Invoker { get; }");
        foreach (var (rpc, request, response) in resolved)
        {
            var method = Abstractions + "Method<" + request + ", " + response + ">";
            var field = "__" + rpc.Name;
            var options = Abstractions + "CallOptions? options = null";
            s.AppendLine();
            s.AppendLine("        private static readonly " + method + " " + field + " = " + Abstractions + "RpcContract.Method<" + request + ", " + response + ">(Descriptor, \"" + rpc.Name + "\");");
            s.AppendLine();
            switch (rpc.ClientStreaming, rpc.ServerStreaming)
            {
                case (false, false):
                    s.AppendLine("        /// <summary>Unary <c>" + rpc.Name + "</c>.</summary>");
                    s.AppendLine("        public global::System.Threading.Tasks.Task<" + response + "> " + rpc.Name + "Async(" + request + " request, " + options + ") =>");
                    s.AppendLine("            Invoker.UnaryAsync(" + field + ", request, options);");
                    break;
                case (false, true):
                    s.AppendLine("        /// <summary>Server-streaming <c>" + rpc.Name + "</c>: the responses as they arrive.</summary>");
                    s.AppendLine("        public global::System.Collections.Generic.IAsyncEnumerable<" + response + "> " + rpc.Name + "Async(" + request + " request, " + options + ") =>");
                    s.AppendLine("            Invoker.ServerStreamingAsync(" + field + ", request, options);");
                    break;
                case (true, false):
                    s.AppendLine("        /// <summary>Client-streaming <c>" + rpc.Name + "</c>: sends <paramref name=\"requests\"/>, then reads the response.</summary>");
                    s.AppendLine("        public global::System.Threading.Tasks.Task<" + response + "> " + rpc.Name + "Async(global::System.Collections.Generic.IEnumerable<" + request + "> requests, " + options + ") =>");
                    s.AppendLine("            Invoker.ClientStreamingAsync(" + field + ", requests, options);");
                    s.AppendLine();
                    AppendStart(s, rpc, request, response, field, options);
                    break;
                default:
                    AppendStart(s, rpc, request, response, field, options);
                    break;
            }
        }

        s.AppendLine("    }");
        s.AppendLine("}");
        return s.ToString();
    }

    private static void AppendStart(StringBuilder s, ProtoRpc rpc, string request, string response, string field, string options)
    {
        s.AppendLine("        /// <summary>Starts <c>" + rpc.Name + "</c>: write to RequestStream (then CompleteAsync), read ResponseStream.</summary>");
        s.AppendLine("        public " + Abstractions + "RpcCall<" + request + ", " + response + "> Start" + rpc.Name + "(" + options + ") =>");
        s.AppendLine("            Invoker.Start(" + field + ", options ?? " + Abstractions + "CallOptions.Default);");
    }

    private static string FileName(string path) => path.Substring(path.Replace('\\', '/').LastIndexOf('/') + 1);

    private static string Cref(string type) => "<see cref=\"" + Abstractions + type + "\"/>";

    /// <summary>Protobuf's scoping: a relative name is looked up from the innermost package outwards.</summary>
    internal static string? Resolve(string package, string name, IReadOnlyDictionary<string, string> types)
    {
        if (name.StartsWith(".", StringComparison.Ordinal))
        {
            return Lookup(name.Substring(1), types);
        }

        var scope = package;
        while (true)
        {
            var found = Lookup(scope.Length == 0 ? name : scope + "." + name, types);
            if (found is not null || scope.Length == 0)
            {
                return found;
            }

            var dot = scope.LastIndexOf('.');
            scope = dot < 0 ? "" : scope.Substring(0, dot);
        }
    }

    private static string? Lookup(string fullName, IReadOnlyDictionary<string, string> types)
    {
        if (types.TryGetValue(fullName, out var type))
        {
            return type;
        }

        const string wellKnown = "google.protobuf.";
        return fullName.StartsWith(wellKnown, StringComparison.Ordinal) && WellKnownTypes.Contains(fullName.Substring(wellKnown.Length))
            ? "global::Google.Protobuf.WellKnownTypes." + fullName.Substring(wellKnown.Length)
            : null;
    }

    private static Location LocationOf(string path, int line)
    {
        var position = new LinePosition(Math.Max(0, line - 1), 0);
        return Location.Create(path, default, new LinePositionSpan(position, position));
    }

    private sealed class ParsedProto(string path, ProtoFile? file, string? error, int errorLine)
    {
        public string Path { get; } = path;

        public ProtoFile? File { get; } = file;

        public string? Error { get; } = error;

        public int ErrorLine { get; } = errorLine;
    }
}
