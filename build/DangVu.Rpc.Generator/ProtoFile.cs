using System;
using System.Collections.Generic;
using System.Text;

namespace DangVu.Rpc.Generator;

/// <summary>What the client generator needs of one .proto file: names, types and services.</summary>
internal sealed class ProtoFile
{
    public ProtoFile(string path) => Path = path;

    public string Path { get; }

    public string Package { get; set; } = "";

    public string? CSharpNamespace { get; set; }

    public string? UmbrellaClass { get; set; }

    /// <summary>Messages and enums by full proto name (<c>pkg.Outer.Inner</c>) → C# name relative to the namespace.</summary>
    public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);

    public List<ProtoService> Services { get; } = [];

    public string Namespace => CSharpNamespace ?? Naming.PascalCase(Package, preservePeriod: true);

    /// <summary>protoc's reflection class: <c>csharp_umbrella_classname</c>, else the file name in PascalCase + "Reflection".</summary>
    public string ReflectionClass
    {
        get
        {
            if (UmbrellaClass is { Length: > 0 } umbrella)
            {
                return umbrella;
            }

            var name = Path.Replace('\\', '/');
            name = name.Substring(name.LastIndexOf('/') + 1);
            if (name.EndsWith(".proto", StringComparison.Ordinal))
            {
                name = name.Substring(0, name.Length - ".proto".Length);
            }

            return Naming.PascalCase(name, preservePeriod: false) + "Reflection";
        }
    }
}

internal sealed class ProtoService(string name)
{
    public string Name { get; } = name;

    public List<ProtoRpc> Rpcs { get; } = [];
}

internal sealed class ProtoRpc(string name, string requestType, bool clientStreaming, string responseType, bool serverStreaming, int line)
{
    public string Name { get; } = name;

    public string RequestType { get; } = requestType;

    public bool ClientStreaming { get; } = clientStreaming;

    public string ResponseType { get; } = responseType;

    public bool ServerStreaming { get; } = serverStreaming;

    public int Line { get; } = line;
}

internal static class Naming
{
    /// <summary>protoc's UnderscoresToCamelCase with the first letter capitalised (C# names of files and packages).</summary>
    public static string PascalCase(string input, bool preservePeriod)
    {
        var result = new StringBuilder(input.Length);
        var capitalizeNext = true;
        foreach (var c in input)
        {
            if (c >= 'a' && c <= 'z')
            {
                result.Append(capitalizeNext ? char.ToUpperInvariant(c) : c);
                capitalizeNext = false;
            }
            else if (c >= 'A' && c <= 'Z')
            {
                result.Append(c);
                capitalizeNext = false;
            }
            else if (c >= '0' && c <= '9')
            {
                result.Append(c);
                capitalizeNext = true;
            }
            else
            {
                capitalizeNext = true;
                if (c == '.' && preservePeriod)
                {
                    result.Append('.');
                }
            }
        }

        return result.ToString();
    }
}

/// <summary>A syntax error in a .proto file, with its line.</summary>
internal sealed class ProtoSyntaxException(string message, int line) : Exception(message)
{
    public int Line { get; } = line;
}

/// <summary>
/// Reads the parts of a .proto file a client needs (package, C# options, message and enum names,
/// services); field declarations are skipped. Comments and string literals are understood.
/// </summary>
internal static class ProtoParser
{
    public static ProtoFile Parse(string path, string text)
    {
        var file = new ProtoFile(path);
        ReadDeclarations(file, new TokenStream(Tokenize(text)), scope: null, csharpOuter: "");
        return file;
    }

    /// <summary>The declarations of the file (scope null) or of a message's body, up to its '}'.</summary>
    private static void ReadDeclarations(ProtoFile file, TokenStream tokens, string? scope, string csharpOuter)
    {
        while (scope is not null || !tokens.AtEnd)
        {
            var token = tokens.Next();
            switch (token.Text)
            {
                case "}" when scope is not null:
                    return;
                case "package" when scope is null:
                    file.Package = tokens.Next().Text;
                    tokens.Expect(";");
                    break;
                case "option" when scope is null:
                    ReadFileOption(file, tokens);
                    break;
                case "service" when scope is null:
                    file.Services.Add(ReadService(tokens));
                    break;
                case "message":
                {
                    var name = tokens.Next().Text;
                    var outer = scope ?? file.Package;
                    AddType(file, outer, csharpOuter, name);
                    tokens.Expect("{");
                    ReadDeclarations(file, tokens,
                        outer.Length == 0 ? name : outer + "." + name,
                        csharpOuter.Length == 0 ? name : csharpOuter + ".Types." + name);
                    break;
                }

                case "enum":
                    AddType(file, scope ?? file.Package, csharpOuter, tokens.Next().Text);
                    tokens.SkipBlock();
                    break;
                case "oneof":
                case "extend":
                    tokens.Next();
                    tokens.SkipBlock();
                    break;
                case ";":
                    break;
                default:
                    // Fields (map<…> and groups included), syntax, edition, import, message options.
                    tokens.SkipStatementOrBlock();
                    break;
            }
        }
    }

    private static void ReadFileOption(ProtoFile file, TokenStream tokens)
    {
        var name = tokens.Next().Text;
        if (name is not ("csharp_namespace" or "csharp_umbrella_classname"))
        {
            // Any other option, custom ones with aggregate values included.
            tokens.SkipStatementOrBlock();
            return;
        }

        tokens.Expect("=");
        var value = tokens.Next();
        tokens.Expect(";");
        if (name == "csharp_namespace" && value.IsString)
        {
            file.CSharpNamespace = value.Text;
        }
        else if (name == "csharp_umbrella_classname" && value.IsString)
        {
            file.UmbrellaClass = value.Text;
        }
    }

    private static void AddType(ProtoFile file, string scope, string csharpOuter, string name) =>
        file.Types[scope.Length == 0 ? name : scope + "." + name] = csharpOuter.Length == 0 ? name : csharpOuter + ".Types." + name;

    private static ProtoService ReadService(TokenStream tokens)
    {
        var service = new ProtoService(tokens.Next().Text);
        tokens.Expect("{");
        while (true)
        {
            var token = tokens.Next();
            switch (token.Text)
            {
                case "}":
                    return service;
                case "rpc":
                {
                    var name = tokens.Next().Text;
                    var (request, clientStreaming) = ReadRpcType(tokens);
                    tokens.Expect("returns");
                    var (response, serverStreaming) = ReadRpcType(tokens);
                    service.Rpcs.Add(new ProtoRpc(name, request, clientStreaming, response, serverStreaming, token.Line));
                    if (tokens.Peek().Text == "{")
                    {
                        tokens.SkipBlock();
                    }
                    else
                    {
                        tokens.Expect(";");
                    }

                    break;
                }

                case ";":
                    break;
                default:
                    tokens.SkipStatementOrBlock();
                    break;
            }
        }
    }

    /// <summary><c>( [stream] Type )</c></summary>
    private static (string Type, bool Stream) ReadRpcType(TokenStream tokens)
    {
        tokens.Expect("(");
        var stream = tokens.Peek().Text == "stream" && tokens.PeekAt(1).Text != ")";
        if (stream)
        {
            tokens.Next();
        }

        var type = tokens.Next().Text;
        tokens.Expect(")");
        return (type, stream);
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                i++;
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw new ProtoSyntaxException("unterminated comment", line);
                }

                for (var j = i; j < end; j++)
                {
                    if (text[j] == '\n')
                    {
                        line++;
                    }
                }

                i = end + 2;
            }
            else if (c == '"' || c == '\'')
            {
                var value = new StringBuilder();
                var start = line;
                i++;
                while (i < text.Length && text[i] != c)
                {
                    if (text[i] == '\n')
                    {
                        throw new ProtoSyntaxException("unterminated string", start);
                    }

                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    value.Append(text[i]);
                    i++;
                }

                if (i >= text.Length)
                {
                    throw new ProtoSyntaxException("unterminated string", start);
                }

                i++;
                tokens.Add(new Token(value.ToString(), line, isString: true));
            }
            else if (char.IsLetterOrDigit(c) || c == '_' || c == '.')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_' || text[i] == '.' || text[i] == '-' && i > start && (text[i - 1] == 'e' || text[i - 1] == 'E')))
                {
                    i++;
                }

                tokens.Add(new Token(text.Substring(start, i - start), line, isString: false));
            }
            else
            {
                tokens.Add(new Token(c.ToString(), line, isString: false));
                i++;
            }
        }

        return tokens;
    }

    private readonly struct Token(string text, int line, bool isString)
    {
        public string Text { get; } = text;

        public int Line { get; } = line;

        public bool IsString { get; } = isString;
    }

    private sealed class TokenStream(List<Token> tokens)
    {
        private int _next;

        public bool AtEnd => _next >= tokens.Count;

        public Token Peek() => PeekAt(0);

        public Token PeekAt(int ahead) =>
            _next + ahead < tokens.Count ? tokens[_next + ahead] : new Token("", LastLine, isString: false);

        public Token Next()
        {
            if (AtEnd)
            {
                throw new ProtoSyntaxException("unexpected end of file", LastLine);
            }

            return tokens[_next++];
        }

        public void Expect(string text)
        {
            var token = Next();
            if (token.Text != text || token.IsString)
            {
                throw new ProtoSyntaxException($"expected '{text}' but found '{token.Text}'", token.Line);
            }
        }

        /// <summary>Skips from just before a '{' to after its matching '}'.</summary>
        public void SkipBlock()
        {
            while (Peek().Text != "{")
            {
                Next();
            }

            SkipBalanced();
        }

        /// <summary>Skips a statement ending with ';', or one ending with a block.</summary>
        public void SkipStatementOrBlock()
        {
            while (true)
            {
                var token = Peek();
                if (token.IsString)
                {
                    Next();
                    continue;
                }

                switch (token.Text)
                {
                    case ";":
                        Next();
                        return;
                    case "{":
                        SkipBalanced();
                        return;
                    case "[":
                    case "(":
                    case "<":
                        SkipBalanced();
                        break;
                    default:
                        Next();
                        break;
                }
            }
        }

        private void SkipBalanced()
        {
            var depth = 0;
            do
            {
                var token = Next();
                if (token.IsString)
                {
                    continue;
                }

                if (token.Text is "{" or "[" or "(" or "<")
                {
                    depth++;
                }
                else if (token.Text is "}" or "]" or ")" or ">")
                {
                    depth--;
                }
            }
            while (depth > 0);
        }

        private int LastLine => tokens.Count == 0 ? 1 : tokens[tokens.Count - 1].Line;
    }
}
