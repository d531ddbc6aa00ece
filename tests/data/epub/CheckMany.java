// Runs epubcheck on several books in one JVM: its start-up and schema loading take seconds,
// once instead of once a book. Run as a source file: java -cp epubcheck.jar CheckMany.java a b
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class CheckMany {
    public static void main(String[] args) {
        for (String path : args) {
            DefaultReportImpl report = new DefaultReportImpl(path);
            new EpubCheck(new File(path), report).validate();
            System.out.println("RESULT " + report.getFatalErrorCount() + " "
                + report.getErrorCount() + " " + report.getWarningCount() + " " + path);
        }
    }
}
