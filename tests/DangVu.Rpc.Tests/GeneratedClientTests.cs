using System.Collections.Immutable;
using System.Security.Claims;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Rpc.Client;
using DangVu.Rpc.Generator;
using DangVu.Rpc.Tests.Proto;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Rpc.Tests;

/// <summary>Typed clients generated from the .proto files (build/DangVu.Rpc.Generator): EchoClient here.</summary>
[Collection(TestServerCollection.Name)]
public sealed class GeneratedClientTests(TestServer server) : IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(server.Address);

    [Fact]
    public async Task Generated_client_makes_every_call_type_over_the_network()
    {
        var echo = new EchoClient(_channel);

        (await echo.UnaryAsync(new EchoRequest { Text = "xin chào" })).Text.Should().Be("xin chào");

        var indexes = new List<int>();
        await foreach (var reply in echo.ServerStreamAsync(new EchoRequest { Text = "s", Count = 50 }))
        {
            indexes.Add(reply.Index);
        }

        indexes.Should().Equal(Enumerable.Range(0, 50));

        (await echo.ClientStreamAsync([new EchoRequest { Text = "a" }, new EchoRequest { Text = "b" }])).Text.Should().Be("a,b");

        await using var bidi = echo.StartBidi();
        foreach (var text in new[] { "một", "hai" })
        {
            await bidi.RequestStream.WriteAsync(new EchoRequest { Text = text });
            (await bidi.ResponseStream.MoveNext()).Should().BeTrue();
            bidi.ResponseStream.Current.Text.Should().Be(text);
        }

        await bidi.RequestStream.CompleteAsync();
        (await bidi.ResponseStream.MoveNext()).Should().BeFalse();
        bidi.GetStatus().StatusCode.Should().Be(StatusCode.OK);
    }

    [Fact]
    public async Task Generated_client_passes_options_and_surfaces_statuses()
    {
        var echo = new EchoClient(_channel);
        var act = () => echo.MutateAsync(new EchoRequest { DelayMs = 5000 }, CallOptions.Default.WithTimeout(TimeSpan.FromMilliseconds(100)));
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.DeadlineExceeded);

        var notFound = () => echo.MutateAsync(new EchoRequest { FailWith = "notfound" });
        (await notFound.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.NotFound);
    }

    [Fact]
    public async Task Generated_client_calls_in_process_as_the_caller()
    {
        var invoker = server.Services.GetRequiredService<IInProcessChannelFactory>()
            .CreateInvoker(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "le.van.c")], "test")));
        var echo = new EchoClient(invoker);

        var reply = await echo.UnaryAsync(new EchoRequest { Text = "trong tiến trình" });
        reply.Caller.Should().Be("le.van.c");
        (await echo.ServerStreamAsync(new EchoRequest { Count = 3 }).CountAsync()).Should().Be(3);
    }

    [Fact]
    public void Generated_client_is_bound_to_the_service_descriptor()
    {
        EchoClient.Descriptor.Should().BeSameAs(EchoReflection.Descriptor.Services[0]);
        var construct = () => new EchoClient(null!);
        construct.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Contract_lookup_names_a_missing_service_or_method()
    {
        var service = () => RpcContract.Service(EchoReflection.Descriptor, "Nope");
        service.Should().Throw<InvalidOperationException>().WithMessage("*echo.proto*Nope*");
        var method = () => RpcContract.Method<EchoRequest, EchoReply>(EchoClient.Descriptor, "Nope");
        method.Should().Throw<InvalidOperationException>().WithMessage("*dangvu.rpctest.v1.Echo*Nope*");
        var types = () => RpcContract.Method<EchoReply, EchoReply>(EchoClient.Descriptor, "Unary");
        types.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Generator_resolves_nested_imported_and_well_known_types()
    {
        var (sources, diagnostics) = Generate(
            ("shared.proto", """
                syntax = "proto3";
                package demo.shared.v1;
                // no csharp_namespace: protoc's PascalCase of the package
                message Outer { message Inner { string id = 1; } map<string, int32> counts = 2; }
                """),
            ("svc.proto", """
                syntax = "proto3";
                package demo.svc.v1;
                import "shared.proto";
                import "google/protobuf/empty.proto";
                option csharp_namespace = "Demo.Svc";
                option (demo.custom) = { a: 1, b: "}" };
                option java_package = "demo.svc";
                /* a service with every call type */
                service Things {
                  rpc Get(.demo.shared.v1.Outer.Inner) returns (Local) {}
                  rpc Watch(google.protobuf.Empty) returns (stream Local);
                  rpc Upload(stream shared.v1.Outer) returns (google.protobuf.Empty) { option idempotency_level = IDEMPOTENT; }
                  rpc Chat(stream Local) returns (stream Local);
                }
                message Local { oneof kind { string a = 1; int32 b = 2; } }
                """));

        diagnostics.Should().BeEmpty();
        var source = sources.Should().ContainSingle().Subject;
        source.Should().Contain("namespace Demo.Svc")
            .And.Contain("public sealed partial class ThingsClient")
            .And.Contain("RpcContract.Service(global::Demo.Svc.SvcReflection.Descriptor, \"Things\")")
            .And.Contain("Task<global::Demo.Svc.Local> GetAsync(global::Demo.Shared.V1.Outer.Types.Inner request")
            .And.Contain("IAsyncEnumerable<global::Demo.Svc.Local> WatchAsync(global::Google.Protobuf.WellKnownTypes.Empty request")
            .And.Contain("Task<global::Google.Protobuf.WellKnownTypes.Empty> UploadAsync(global::System.Collections.Generic.IEnumerable<global::Demo.Shared.V1.Outer> requests")
            .And.Contain("RpcCall<global::Demo.Svc.Local, global::Demo.Svc.Local> StartChat(");
    }

    [Fact]
    public void Generator_reports_an_unresolvable_type_naming_the_file_rpc_and_type()
    {
        var (sources, diagnostics) = Generate(("orders.proto", """
            syntax = "proto3";
            package shop.v1;
            message Order { string id = 1; }
            service Orders {
              rpc Get(Order) returns (Order);
              rpc Find(OrderQuery) returns (Order);
            }
            """));

        sources.Should().BeEmpty("a client with an unknown type would not compile");
        var diagnostic = diagnostics.Should().ContainSingle().Subject;
        diagnostic.Id.Should().Be("DVRPC001");
        diagnostic.Severity.Should().Be(DiagnosticSeverity.Error);
        diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Should()
            .Contain("orders.proto").And.Contain("Orders.Find").And.Contain("OrderQuery").And.StartWith("Không tìm thấy kiểu");
        diagnostic.Location.GetLineSpan().StartLinePosition.Line.Should().Be(5);
    }

    [Fact]
    public void Generator_reports_a_malformed_proto_with_its_line()
    {
        var (sources, diagnostics) = Generate(("broken.proto", "syntax = \"proto3\";\npackage a;\nservice S {\n  rpc M(A returns (B);\n}\n"));

        sources.Should().BeEmpty();
        var diagnostic = diagnostics.Should().ContainSingle().Subject;
        diagnostic.Id.Should().Be("DVRPC002");
        diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Should().Contain("broken.proto").And.Contain("line 4");
    }

    private static (IReadOnlyList<string> Sources, ImmutableArray<Diagnostic> Diagnostics) Generate(params (string Path, string Text)[] protos)
    {
        var driver = CSharpGeneratorDriver.Create(new ClientGenerator())
            .AddAdditionalTexts([.. protos.Select(p => (AdditionalText)new ProtoText("/protos/" + p.Path, p.Text))]);
        var result = driver.RunGenerators(CSharpCompilation.Create("generated")).GetRunResult();
        return (result.GeneratedTrees.Select(t => t.ToString()).ToList(), result.Diagnostics);
    }

    private sealed class ProtoText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    public void Dispose() => _channel.Dispose();
}
