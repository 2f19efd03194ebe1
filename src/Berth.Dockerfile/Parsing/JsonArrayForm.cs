using System.Text;
using System.Text.Json;

namespace Berth.Dockerfile;

/// <summary>
/// The exec form of an instruction: a JSON array of strings at the start of the arguments. Like dockerd, only the first
/// JSON value is read (text after the closing bracket is ignored), text that is not valid JSON is the shell form, and a
/// valid array holding anything but strings is an error.
/// </summary>
internal static class JsonArrayForm
{
    public const string NotStringArray = "when using JSON array syntax, arrays must be comprised of strings only";

    /// <summary>The strings, or null for the shell form; throws <see cref="FormatException"/> for a non-string item.</summary>
    public static List<string>? TryParse(string text)
    {
        text = text.TrimStart();
        if (!text.StartsWith('[')) return null;
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowMultipleValues = true });
        var items = new List<string>();
        var onlyStrings = true;
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.String) items.Add(reader.GetString()!);
                else
                {
                    onlyStrings = false;
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndArray) return null;
        }
        catch (JsonException)
        {
            return null;
        }
        if (!onlyStrings) throw new FormatException(NotStringArray);
        return items;
    }
}
