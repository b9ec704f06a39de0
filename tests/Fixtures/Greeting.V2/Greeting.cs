namespace DangVu.Fixtures.Greeting;

public static class Greeting
{
    public static string Text => "xin chào từ v2";
}
