using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DangVu.Interop.TestServer;

/// <summary>
/// Writes the FileDescriptorSet of grpc/testing/test.proto and its imports (dependencies
/// first), from which the python client builds its message classes at run time.
/// </summary>
internal static class DescriptorSet
{
    public static void Write(string path)
    {
        var set = new FileDescriptorSet();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Add(Grpc.Testing.TestReflection.Descriptor, set, seen);
        File.WriteAllBytes(path, set.ToByteArray());
    }

    private static void Add(FileDescriptor file, FileDescriptorSet set, HashSet<string> seen)
    {
        if (!seen.Add(file.Name))
        {
            return;
        }

        foreach (var dependency in file.Dependencies)
        {
            Add(dependency, set, seen);
        }

        set.File.Add(FileDescriptorProto.Parser.ParseFrom(file.SerializedData));
    }
}
