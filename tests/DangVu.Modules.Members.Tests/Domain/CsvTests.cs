using DangVu.Modules.Members.Domain;

namespace DangVu.Modules.Members.Tests.Domain;

public sealed class CsvTests
{
    private static List<(int Line, IReadOnlyList<string> Fields)> Read(string text) => Csv.Read(new StringReader(text)).ToList();

    [Fact]
    public void Quoted_fields_keep_commas_doubled_quotes_and_line_breaks_and_records_carry_the_line_they_start_on()
    {
        var records = Read("Họ và tên,Ghi chú\r\n\"Nguyễn Văn An\",\"Tổ 1, khu \"\"A\"\"\"\r\n\r\nTrần Thị Bình,\"hai\ndòng\"\nLê Văn Cường,\n");

        records.Select(r => r.Line).Should().Equal(1, 2, 4, 6);
        records[1].Fields.Should().Equal("Nguyễn Văn An", "Tổ 1, khu \"A\"");
        records[2].Fields.Should().Equal("Trần Thị Bình", "hai\ndòng");
        records[3].Fields.Should().Equal("Lê Văn Cường", "");
    }

    [Fact]
    public void A_last_record_without_a_line_break_and_a_quote_inside_a_field_are_read_as_written()
    {
        var records = Read("a,b\"c,\"\"\nx,y");

        records[0].Fields.Should().Equal("a", "b\"c", "");
        records[1].Fields.Should().Equal("x", "y");
    }

    [Fact]
    public void Fields_that_cross_the_readers_block_boundary_are_whole()
    {
        // The reader takes 65,536 characters at a time: put a quoted field, a doubled quote and a line break across the boundary.
        var filler = new string('x', 65_530);
        var records = Read($"{filler},\"ab\"\"c\nd\"\n{new string('y', 70_000)},z\n");

        records.Should().HaveCount(2);
        records[0].Fields.Should().Equal(filler, "ab\"c\nd");
        records[1].Fields[0].Should().HaveLength(70_000);
        records[1].Fields[1].Should().Be("z");
        records[1].Line.Should().Be(3);
    }

    [Fact]
    public void What_the_writer_writes_the_reader_reads_back()
    {
        string[] fields = ["Phạm Thị \"Hoa\"", " leading space", "a,b", "line\nbreak", ""];

        Read(Csv.Line(fields) + "\r\n").Single().Fields.Should().Equal(fields);
    }

    [Fact]
    public void Many_records_of_repeated_and_unique_short_values_read_back_each_exactly_with_their_own_number_of_fields()
    {
        // Short values are shared between records once met: thousands of distinct ones, past what is kept, and repeated ones.
        var expected = Enumerable.Range(0, 10_000)
            .Select(n => n % 7 == 0 ? new[] { "Nam", n.ToString("D12") } : new[] { n % 2 == 0 ? "Nữ" : "Nam", $"{n}", "\"q,\"", new string('x', n % 40) })
            .ToList();

        var records = Read(string.Concat(expected.Select(f => Csv.Line(f) + "\n")));

        records.Select(r => r.Fields.ToArray()).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Carriage_returns_outside_quotes_are_dropped_and_text_after_a_closing_quote_joins_the_field()
    {
        var records = Read("a\rb,\r\"q\"tail,\"x\"\r\n");

        records.Single().Fields.Should().Equal("ab", "qtail", "x");
    }

    [Fact]
    public void Random_records_written_by_the_writer_read_back_exactly_across_many_block_boundaries()
    {
        // 300,000+ characters: fields of every kind land on the reader's block boundaries, short and long, quoted and not.
        var random = new Random(20261202);
        string[] pieces = ["Nguyễn", "Văn", "a", ",", "\"", "\n", "\r\n", " ", "0123456789", "Thị", "x"];
        var expected = Enumerable.Range(0, 4_000)
            .Select(_ => Enumerable.Range(0, random.Next(1, 12))
                .Select(_ => string.Concat(Enumerable.Range(0, random.Next(0, random.Next(2) == 0 ? 4 : 40)).Select(_ => pieces[random.Next(pieces.Length)])))
                .ToArray())
            .Where(f => !(f.Length == 1 && f[0].Length == 0)) // a record of one empty field is a blank line
            .ToList();

        var records = Read(string.Concat(expected.Select(f => Csv.Line(f) + "\n")));

        records.Select(r => r.Fields.ToArray()).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
    }
}
