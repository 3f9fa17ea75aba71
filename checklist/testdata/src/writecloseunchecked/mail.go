package writecloseunchecked

import (
	"net/smtp"
)

// SendReport writes a mail through an SMTP DATA writer and defers its
// Close: the Close sends the final dot and reads the server's verdict, so
// a rejected mail is reported as sent.
func SendReport(c *smtp.Client, body []byte) error {
	w, err := c.Data()
	if err != nil {
		return err
	}
	defer w.Close() // want `deferred w.Close\(\) drops the error of io.WriteCloser`
	_, err = w.Write(body)
	return err
}
